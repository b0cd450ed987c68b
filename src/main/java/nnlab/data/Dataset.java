package nnlab.data;

import nnlab.loss.Targets;
import nnlab.math.Matrix;

/** Samples in the rows of X with one integer class label each. */
public record Dataset(Matrix X, int[] y) {
    public Dataset {
        if (X.rows() != y.length) {
            throw new IllegalArgumentException("Dataset: " + X.rows() + " samples but " + y.length + " labels");
        }
    }

    public int size() {
        return y.length;
    }

    /** The labels as loss targets. */
    public Targets targets() {
        return Targets.labels(y);
    }

    /** The first n samples. */
    public Dataset head(int n) {
        int k = Math.min(n, size());
        return new Dataset(X.rowRange(0, k), java.util.Arrays.copyOf(y, k));
    }

    /** The samples at the given indices. */
    public Dataset rows(int[] indices) {
        int[] sub = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            sub[i] = y[indices[i]];
        }
        return new Dataset(X.rows(indices), sub);
    }
}
