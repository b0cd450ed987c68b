package nnlab.loss;

import nnlab.math.Labels;
import nnlab.math.Matrix;

/**
 * Softmax followed by cross-entropy, averaged over the N samples:
 * {@code L = -(1/N) Σ_i log p_i[y_i]} with {@code p_i = softmax(s_i)}, and {@code dL/ds = (p - onehot(y)) / N}.
 * The probabilities come from the max-shifted softmax, so large scores do not overflow; where a probability
 * underflows to 0 the log term is taken from log-sum-exp instead of returning infinity. Targets may also be rows of
 * class probabilities.
 */
public final class SoftmaxCrossEntropy implements Loss {
    @Override
    public LossResult evaluate(Matrix scores, Targets targets) {
        targets.checkRows("softmax cross-entropy", scores);
        int n = scores.rows();
        int k = scores.cols();
        Matrix probs = scores.softmaxRows();
        double[] d = probs.data(); // becomes dscores in place
        double total = 0;
        if (targets.isLabels()) {
            int[] y = targets.labels();
            for (int i = 0; i < n; i++) {
                total += negativeLogProbability(scores, probs, i, y[i]);
                d[i * k + y[i]] -= 1.0;
            }
        } else {
            double[] t = targets.values().data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    if (t[i * k + j] != 0) {
                        total += t[i * k + j] * negativeLogProbability(scores, probs, i, j);
                    }
                }
            }
            for (int q = 0; q < d.length; q++) {
                d[q] -= t[q];
            }
        }
        probs.divInPlace(n);
        return new LossResult(total / n, probs);
    }

    /** -log p[i][j], from the probability when it is representable, else as logsumexp(s_i) - s_ij. */
    private static double negativeLogProbability(Matrix scores, Matrix probs, int i, int j) {
        double p = probs.get(i, j);
        if (p > 1e-300) {
            return -Math.log(p);
        }
        return scores.row(i).logSumExpRows().get(0) - scores.get(i, j);
    }

    @Override
    public double accuracy(Matrix scores, Targets targets) {
        int[] y = targets.isLabels() ? targets.labels() : targets.values().argmaxRows();
        return Labels.accuracy(predict(scores), y);
    }

    @Override
    public String name() {
        return "softmax cross-entropy";
    }
}
