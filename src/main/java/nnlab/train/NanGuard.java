package nnlab.train;

import java.util.Locale;

/**
 * Stops a training loop at the first non-finite loss with a message that names the iteration and the likely cause.
 * Hand-written loops in notebooks call {@link #check(double, int, double)} once per iteration; the
 * {@link Trainer} does it itself.
 */
public final class NanGuard {
    private double lastLoss = Double.NaN;
    private int lastIteration = -1;

    /** Throws {@link TrainingDivergedException} if loss is NaN or infinite; otherwise remembers it. */
    public void check(double loss, int iteration, double learningRate) {
        if (!Double.isFinite(loss)) {
            String before = lastIteration < 0 ? "" : String.format(Locale.ROOT,
                    " (it was %.6g at iteration %d)", lastLoss, lastIteration);
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "training diverged: the loss became %s at iteration %d%s. The step size %s is probably too "
                            + "large for this model, or the gradient has a wrong sign; lower the learning rate, "
                            + "and run a gradient check on the backward pass.",
                    Double.isNaN(loss) ? "NaN" : "infinite", iteration, before, learningRate), iteration);
        }
        lastLoss = loss;
        lastIteration = iteration;
    }
}
