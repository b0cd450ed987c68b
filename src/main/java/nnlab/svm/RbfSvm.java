package nnlab.svm;

import java.util.Arrays;
import nnlab.math.Labels;
import nnlab.math.Matrix;
import smile.classification.SVM;
import smile.math.MathEx;
import smile.math.kernel.GaussianKernel;

/**
 * A multi-class support vector machine with the RBF kernel {@code k(x, x') = exp(-γ‖x - x'‖²)}, trained with Smile.
 *
 * <p>Parameters mean what they mean in scikit-learn's {@code SVC(kernel='rbf', C, gamma)}: C is the soft-margin
 * penalty and γ the kernel width (Smile's Gaussian kernel takes σ with {@code γ = 1/(2σ²)}). Like libsvm, several
 * classes are handled one-versus-one: one binary SVM per pair of classes, and the class with the most pairwise
 * votes wins (ties go to the smaller label).
 *
 * <p>Smile's solver (LASVM) visits the samples in a random order drawn from a per-thread generator; each binary fit
 * seeds that generator first, so a model depends only on its data, C, γ and seed, never on the thread that fits it.
 */
public final class RbfSvm {
    /** The stopping tolerance, scikit-learn's default. */
    public static final double TOLERANCE = 1e-3;
    /**
     * Passes of Smile's online solver over the data. One pass is an approximation; from two on, the spiral
     * exercise's models reach the same training accuracy as libsvm (scikit-learn) for every C of the grid.
     */
    public static final int EPOCHS = 2;

    private final int[] classes;
    private final SVM<double[]>[][] pairs;
    private final double C;
    private final double gamma;

    private RbfSvm(int[] classes, SVM<double[]>[][] pairs, double C, double gamma) {
        this.classes = classes;
        this.pairs = pairs;
        this.C = C;
        this.gamma = gamma;
    }

    /** Fits with seed 0. */
    public static RbfSvm fit(Matrix X, int[] y, double C, double gamma) {
        return fit(X, y, C, gamma, 0);
    }

    @SuppressWarnings("unchecked")
    public static RbfSvm fit(Matrix X, int[] y, double C, double gamma, long seed) {
        if (X.rows() != y.length) {
            throw new IllegalArgumentException("RbfSvm.fit: " + X.rows() + " rows in X but " + y.length
                    + " labels; expected one label per row");
        }
        if (!(C > 0) || !(gamma > 0)) {
            throw new IllegalArgumentException("RbfSvm.fit: C and gamma must be > 0, got C=" + C + ", gamma=" + gamma);
        }
        if (X.hasNonFinite()) {
            throw new IllegalArgumentException("RbfSvm.fit: X contains NaN or infinite values");
        }
        int[] classes = Arrays.stream(y).distinct().sorted().toArray();
        if (classes.length < 2) {
            throw new IllegalArgumentException("RbfSvm.fit: need at least 2 classes, the labels hold only "
                    + Arrays.toString(classes));
        }
        GaussianKernel kernel = new GaussianKernel(Math.sqrt(1 / (2 * gamma)));
        double[][] rows = X.toArray();
        int k = classes.length;
        SVM<double[]>[][] pairs = new SVM[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                int n = 0;
                for (int label : y) {
                    if (label == classes[a] || label == classes[b]) {
                        n++;
                    }
                }
                double[][] xs = new double[n][];
                int[] signs = new int[n];
                int j = 0;
                for (int i = 0; i < y.length; i++) {
                    if (y[i] == classes[a] || y[i] == classes[b]) {
                        xs[j] = rows[i];
                        signs[j++] = y[i] == classes[a] ? +1 : -1;
                    }
                }
                MathEx.setSeed(seed * 1_000_003L + a * k + b);
                pairs[a][b] = SVM.fit(xs, signs, kernel, C, TOLERANCE, EPOCHS);
            }
        }
        return new RbfSvm(classes, pairs, C, gamma);
    }

    /** The predicted label of every row of X (one-versus-one voting). */
    public int[] predict(Matrix X) {
        int k = classes.length;
        int[] out = new int[X.rows()];
        int[] votes = new int[k];
        for (int i = 0; i < X.rows(); i++) {
            double[] x = X.row(i).data();
            Arrays.fill(votes, 0);
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    votes[pairs[a][b].score(x) > 0 ? a : b]++;
                }
            }
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            out[i] = classes[best];
        }
        return out;
    }

    /** The fraction of rows of X whose predicted label equals y. */
    public double accuracy(Matrix X, int[] y) {
        return Labels.accuracy(predict(X), y);
    }

    /** Support vectors over all pairwise machines (a sample can count in several). */
    public int supportVectors() {
        int total = 0;
        for (SVM<double[]>[] row : pairs) {
            for (SVM<double[]> m : row) {
                if (m != null) {
                    total += m.vectors().length;
                }
            }
        }
        return total;
    }

    public double C() {
        return C;
    }

    public double gamma() {
        return gamma;
    }

    @Override
    public String toString() {
        return "RbfSvm(C=" + C + ", gamma=" + gamma + ", classes=" + Arrays.toString(classes) + ", support vectors="
                + supportVectors() + ")";
    }
}
