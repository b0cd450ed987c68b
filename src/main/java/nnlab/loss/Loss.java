package nnlab.loss;

import nnlab.math.Matrix;

/**
 * A loss on a batch of scores: returns the mean loss over samples and dLoss/dScores, both written by hand.
 * Scores are N x K (one row per sample, one column per output); targets hold one entry per sample (labels) or an
 * N x K matrix (values).
 */
public interface Loss {
    /**
     * The loss of scores (N x K) against targets (N labels, or N x K values) and its gradient dLoss/dScores
     * (N x K, a fresh matrix).
     *
     * @throws IllegalArgumentException when the targets do not fit the scores (count, shape, label range)
     */
    LossResult evaluate(Matrix scores, Targets targets);

    /** Just the loss value of {@link #evaluate}. */
    default double value(Matrix scores, Targets targets) {
        return evaluate(scores, targets).loss();
    }

    /** Predicted class per sample from scores (N x K): N class indices (default: the column with the highest score). */
    default int[] predict(Matrix scores) {
        return scores.argmaxRows();
    }

    /**
     * Fraction of the N samples whose predicted class ({@link #predict}) matches the target class, in [0, 1]; NaN for
     * a loss that does not classify ({@link MeanSquaredError}).
     */
    double accuracy(Matrix scores, Targets targets);

    /** A name for tables and messages, e.g. "softmax cross-entropy". */
    String name();
}
