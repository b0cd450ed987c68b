package nnlab.loss;

import nnlab.math.Matrix;

/**
 * A loss on a batch of scores: returns the mean loss over samples and dLoss/dScores, both written by hand.
 */
public interface Loss {
    LossResult evaluate(Matrix scores, Targets targets);

    /** Just the loss value. */
    default double value(Matrix scores, Targets targets) {
        return evaluate(scores, targets).loss();
    }

    /** Predicted class per sample (default: the highest score). */
    default int[] predict(Matrix scores) {
        return scores.argmaxRows();
    }

    /** Fraction of samples whose prediction matches the target class. */
    double accuracy(Matrix scores, Targets targets);

    String name();
}
