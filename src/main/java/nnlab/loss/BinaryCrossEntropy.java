package nnlab.loss;

import nnlab.math.Functions;
import nnlab.math.Labels;
import nnlab.math.Matrix;

/**
 * Binary cross-entropy on logits, averaged over all N x K entries:
 * {@code L = mean(softplus(z) - t·z)} (which equals {@code -t·log σ(z) - (1-t)·log(1-σ(z))} without its overflow),
 * and {@code dL/dz = (σ(z) - t) / (N·K)}. Targets are 0/1 values, or labels 0/1 for a single output column.
 */
public final class BinaryCrossEntropy implements Loss {
    @Override
    public LossResult evaluate(Matrix logits, Targets targets) {
        Matrix t = targetValues(logits, targets);
        int count = logits.size();
        double[] z = logits.data();
        double[] tv = t.data();
        Matrix d = new Matrix(logits.rows(), logits.cols());
        double[] dd = d.data();
        double total = 0;
        for (int k = 0; k < count; k++) {
            total += Functions.softplus(z[k]) - tv[k] * z[k];
            dd[k] = (Functions.sigmoid(z[k]) - tv[k]) / count;
        }
        return new LossResult(total / count, d);
    }

    private static Matrix targetValues(Matrix logits, Targets targets) {
        if (targets.isLabels()) {
            if (logits.cols() != 1) {
                throw new IllegalArgumentException("binary cross-entropy: labels need a single logit column, "
                        + "got scores " + logits.shapeString() + "; pass Targets.values(Y) for several outputs");
            }
            int[] y = targets.labels();
            Labels.check("binary cross-entropy", y, 2);
            if (y.length != logits.rows()) {
                throw new IllegalArgumentException("binary cross-entropy: " + y.length + " labels for "
                        + logits.rows() + " rows of scores");
            }
            Matrix t = new Matrix(y.length, 1);
            for (int i = 0; i < y.length; i++) {
                t.data()[i] = y[i];
            }
            return t;
        }
        targets.checkRows("binary cross-entropy", logits);
        for (double v : targets.values().data()) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("binary cross-entropy: target " + v
                        + " is outside [0, 1]; targets are probabilities (0/1 labels)");
            }
        }
        return targets.values();
    }

    /** 1 where the logit is positive (probability above 0.5). */
    @Override
    public int[] predict(Matrix logits) {
        int[] p = new int[logits.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = logits.data()[k] > 0 ? 1 : 0;
        }
        return p;
    }

    @Override
    public double accuracy(Matrix logits, Targets targets) {
        Matrix t = targetValues(logits, targets);
        int[] truth = new int[t.size()];
        for (int k = 0; k < truth.length; k++) {
            truth[k] = t.data()[k] >= 0.5 ? 1 : 0;
        }
        return Labels.accuracy(predict(logits), truth);
    }

    @Override
    public String name() {
        return "binary cross-entropy";
    }
}
