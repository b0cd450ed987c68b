package nnlab.data;

import nnlab.math.Functions;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;

/**
 * Generated data sets of the exercises, drawn from a {@link NumpyRandom} so that they equal their numpy twins value
 * for value when the stream is seeded the same way.
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * The spiral of the cs231n case study: K arms of N points each in 2-D. For class j, radius r runs linearly from 0
     * to 1 and angle t from 4j to 4(j+1) plus {@code noise·randn}; the point is {@code (r·sin t, r·cos t)}. Draws N
     * normals per class, in class order, from rng.
     */
    public static Dataset spiral(int pointsPerClass, int classes, double noise, NumpyRandom rng) {
        if (pointsPerClass < 1 || classes < 1) {
            throw new IllegalArgumentException("spiral: need at least one point and one class, got "
                    + pointsPerClass + " points x " + classes + " classes");
        }
        int n = pointsPerClass;
        Matrix X = new Matrix(n * classes, 2);
        int[] y = new int[n * classes];
        Matrix r = Matrix.linspace(0.0, 1.0, n);
        for (int j = 0; j < classes; j++) {
            Matrix t = Matrix.linspace(j * 4.0, (j + 1) * 4.0, n);
            double[] eps = rng.randn(n);
            for (int i = 0; i < n; i++) {
                double theta = t.get(i) + eps[i] * noise;
                int row = n * j + i;
                X.set(row, 0, r.get(i) * Math.sin(theta));
                X.set(row, 1, r.get(i) * Math.cos(theta));
                y[row] = j;
            }
        }
        return new Dataset(X, y);
    }

    /**
     * Two interleaving half circles with the semantics of scikit-learn's {@code make_moons(n_samples, shuffle,
     * noise, random_state)}: the first n/2 points (rounded down) lie on the upper moon (label 0), the rest on the
     * lower one (label 1); if shuffle, the order is permuted with {@code rng.shuffle}; then Gaussian noise of std
     * {@code noise} is added (skipped when noise is 0), drawn row by row.
     */
    public static Dataset moons(int samples, double noise, boolean shuffle, NumpyRandom rng) {
        if (samples < 2) {
            throw new IllegalArgumentException("moons: need at least 2 samples, got " + samples);
        }
        int nOut = samples / 2;
        int nIn = samples - nOut;
        Matrix X = new Matrix(samples, 2);
        int[] y = new int[samples];
        Matrix outer = Matrix.linspace(0, Math.PI, nOut);
        Matrix inner = Matrix.linspace(0, Math.PI, nIn);
        for (int i = 0; i < nOut; i++) {
            X.set(i, 0, Math.cos(outer.get(i)));
            X.set(i, 1, Math.sin(outer.get(i)));
        }
        for (int i = 0; i < nIn; i++) {
            X.set(nOut + i, 0, 1 - Math.cos(inner.get(i)));
            X.set(nOut + i, 1, 1 - Math.sin(inner.get(i)) - 0.5);
            y[nOut + i] = 1;
        }
        Dataset d = new Dataset(X, y);
        if (shuffle) {
            int[] idx = new int[samples];
            for (int i = 0; i < samples; i++) {
                idx[i] = i;
            }
            rng.shuffle(idx);
            d = d.rows(idx);
        }
        if (noise > 0) {
            d.X().addInPlace(rng.normal(0.0, noise, samples, 2));
        }
        return d;
    }

    /** The moons exercise's transform of inputs to {@code 2·X - 1}. */
    public static Matrix scaleToSymmetric(Matrix X) {
        return X.times(2.0).plus(-1.0);
    }

    /** Labels 0/1 as a column of targets -1/+1 ({@code 2·y - 1}). */
    public static Matrix signs(int[] y) {
        Matrix t = new Matrix(y.length, 1);
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException("signs: label " + y[i] + " at index " + i + " is not 0 or 1");
            }
            t.set(i, 0, 2.0 * y[i] - 1.0);
        }
        return t;
    }

    /**
     * The lecture's synthetic 2-D binary data: X uniform on [0,1]², {@code rsq = (x0-.5)² + (x1-.5)²},
     * {@code z = 10·(exp(-8·rsq) - 0.5)}, label 1 with probability σ(z) (one uniform draw per sample after X).
     */
    public static Dataset synthetic2d(int samples, NumpyRandom rng) {
        Matrix X = rng.uniform(0, 1, samples, 2);
        double[] u = new double[samples];
        for (int i = 0; i < samples; i++) {
            u[i] = rng.uniform(0, 1);
        }
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            double dx = X.get(i, 0) - 0.5;
            double dy = X.get(i, 1) - 0.5;
            double z = 10 * (Math.exp(-8 * (dx * dx + dy * dy)) - 0.5);
            y[i] = u[i] < Functions.sigmoid(z) ? 1 : 0;
        }
        return new Dataset(X, y);
    }

    /** Noisy samples of {@code sin(2πx)}: x uniform on [0,1), y = sin(2πx) + N(0, noise). */
    public record Regression(Matrix x, Matrix y) {
    }

    /** {@code x = rand(n); y = sin(2πx) + normal(0, noise, n)}: x drawn first, then the noise, as the lecture does. */
    public static Regression sine(int samples, double noise, NumpyRandom rng) {
        Matrix x = rng.rand(samples, 1);
        Matrix y = new Matrix(samples, 1);
        for (int i = 0; i < samples; i++) {
            y.set(i, 0, Math.sin(2 * Math.PI * x.get(i, 0)) + rng.normal(0, noise));
        }
        return new Regression(x, y);
    }
}
