package nnlab.loss;

import nnlab.math.Labels;
import nnlab.math.Matrix;

/**
 * What a loss compares the scores with: either integer class labels (one per row) or a matrix of target values
 * (0/1 indicators, ±1 signs, one-hot rows or regression targets).
 */
public final class Targets {
    private final int[] labels;
    private final Matrix values;

    private Targets(int[] labels, Matrix values) {
        this.labels = labels;
        this.values = values;
    }

    /** Class indices 0..K-1, one per sample. */
    public static Targets labels(int... labels) {
        return new Targets(labels.clone(), null);
    }

    /** A matrix of targets with one row per sample. */
    public static Targets values(Matrix values) {
        return new Targets(null, values);
    }

    /** True for class labels (N ints), false for target values (an N × K matrix). */
    public boolean isLabels() {
        return labels != null;
    }

    /** N, the number of samples. */
    public int size() {
        return labels != null ? labels.length : values.rows();
    }

    /** The labels; an error if these targets are values. */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalArgumentException("these targets are a " + values.shapeString()
                    + " matrix of values, but class labels (int[]) were expected; use Targets.labels(y)");
        }
        return labels;
    }

    /** The values; labels become one-hot rows over {@code numClasses} classes. */
    public Matrix values(int numClasses) {
        return labels != null ? Matrix.oneHot(labels, numClasses) : values;
    }

    /** The values matrix; an error if these targets are labels. */
    public Matrix values() {
        if (values == null) {
            throw new IllegalArgumentException("these targets are class labels, but a matrix of target values was "
                    + "expected; use Targets.values(Y)");
        }
        return values;
    }

    /** The targets of the given samples, in that order (mini-batches). */
    public Targets rows(int[] indices) {
        if (labels != null) {
            int[] sub = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                sub[i] = labels[indices[i]];
            }
            return new Targets(sub, null);
        }
        return new Targets(null, values.rows(indices));
    }

    /** Throws unless there is one target row per row of scores. */
    void checkRows(String op, Matrix scores) {
        if (size() != scores.rows()) {
            throw new IllegalArgumentException(op + ": " + size() + " targets for " + scores.rows()
                    + " rows of scores " + scores.shapeString() + "; expected one target per sample");
        }
        if (labels != null) {
            Labels.check(op, scores, labels);
        } else if (!values.sameShape(scores)) {
            throw new IllegalArgumentException(op + ": targets " + values.shapeString() + " and scores "
                    + scores.shapeString() + " must have the same shape");
        }
    }
}
