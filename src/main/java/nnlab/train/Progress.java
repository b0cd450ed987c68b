package nnlab.train;

/** A snapshot handed to training callbacks. Accuracies are NaN when not measured. */
public record Progress(int step, int totalSteps, String stepName, double loss, double trainAccuracy,
                       double testAccuracy, double seconds) {
}
