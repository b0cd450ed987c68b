package nnlab.loss;

import nnlab.math.Functions;
import nnlab.math.Labels;
import nnlab.math.Matrix;

/**
 * Independent sigmoid cross-entropy per output, summed over the K outputs and averaged over the N samples, as in
 * the 400-feature digits lab: {@code L = (1/N) Σ_i Σ_k [softplus(z_ik) - t_ik·z_ik]} and
 * {@code dL/dz = (σ(z) - t) / N}. Labels become one-hot rows.
 */
public final class SigmoidCrossEntropy implements Loss {
    @Override
    public LossResult evaluate(Matrix logits, Targets targets) {
        targets.checkRows("sigmoid cross-entropy", logits);
        Matrix t = targets.values(logits.cols());
        int n = logits.rows();
        double[] z = logits.data();
        double[] tv = t.data();
        Matrix d = new Matrix(logits.rows(), logits.cols());
        double[] dd = d.data();
        double total = 0;
        for (int k = 0; k < z.length; k++) {
            total += Functions.softplus(z[k]) - tv[k] * z[k];
            dd[k] = (Functions.sigmoid(z[k]) - tv[k]) / n;
        }
        return new LossResult(total / n, d);
    }

    @Override
    public double accuracy(Matrix logits, Targets targets) {
        int[] y = targets.isLabels() ? targets.labels() : targets.values().argmaxRows();
        return Labels.accuracy(predict(logits), y);
    }

    @Override
    public String name() {
        return "sigmoid cross-entropy";
    }
}
