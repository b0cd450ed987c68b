package nnlab.svm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnlab.math.Labels;
import nnlab.math.Matrix;
import smile.classification.SVM;
import smile.math.MathEx;
import smile.math.kernel.GaussianKernel;
import smile.math.kernel.MercerKernel;

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

    /**
     * Fits one binary SVM per pair of classes. Up to {@link #GRAM_LIMIT} rows, the kernel values between all rows are
     * computed once (with Smile's own kernel, so bit for bit the values it would compute) and Smile's solver reads
     * them from that table; the model is the same as with the kernel evaluated on demand, only faster.
     */
    public static RbfSvm fit(Matrix X, int[] y, double C, double gamma, long seed) {
        return fit(X, y, C, gamma, seed, X.rows() <= GRAM_LIMIT);
    }

    /** As {@link #fit(Matrix, int[], double, double, long)}, with the kernel table or without (tests compare both). */
    @SuppressWarnings("unchecked")
    static RbfSvm fit(Matrix X, int[] y, double C, double gamma, long seed, boolean table) {
        int[] classes = validate(X, y, C, gamma);
        GaussianKernel kernel = kernel(gamma);
        double[][] rows = X.toArray();
        int k = classes.length;
        SVM<double[]>[][] pairs = new SVM[k][k];
        double[][] gram = table ? gram(rows, kernel) : null;
        int[] all = new int[rows.length];
        Arrays.setAll(all, i -> i);
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                long pairSeed = pairSeed(seed, k, a, b);
                if (gram != null) {
                    SVM<Integer> m = fitPair(gram, all, y, classes[a], classes[b], C, pairSeed);
                    Integer[] ids = m.vectors();
                    double[][] vectors = new double[ids.length][];
                    for (int i = 0; i < ids.length; i++) {
                        vectors[i] = rows[ids[i]];
                    }
                    pairs[a][b] = new SVM<>(kernel, vectors, m.weights(), m.intercept());
                } else {
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
                    MathEx.setSeed(pairSeed);
                    pairs[a][b] = SVM.fit(xs, signs, kernel, C, TOLERANCE, EPOCHS);
                }
            }
        }
        return new RbfSvm(classes, pairs, C, gamma);
    }

    /** Up to this many rows the kernel table is precomputed (2000 rows: 32 MB of doubles). */
    static final int GRAM_LIMIT = 2000;

    /** Checks the arguments of a fit; returns the sorted distinct labels. */
    static int[] validate(Matrix X, int[] y, double C, double gamma) {
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
        return classes;
    }

    /** Smile's Gaussian kernel for scikit-learn's γ: {@code γ = 1/(2σ²)}. */
    static GaussianKernel kernel(double gamma) {
        return new GaussianKernel(Math.sqrt(1 / (2 * gamma)));
    }

    /** The seed of the binary machine of classes a &lt; b (their positions among k classes) in a fit seeded seed. */
    static long pairSeed(long seed, int k, int a, int b) {
        return seed * 1_000_003L + a * k + b;
    }

    /** The kernel between every two rows, from Smile's kernel (it is symmetric bit for bit: (u-v)² = (v-u)²). */
    static double[][] gram(double[][] rows, GaussianKernel kernel) {
        int n = rows.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                g[i][j] = g[j][i] = kernel.k(rows[i], rows[j]);
            }
        }
        return g;
    }

    /**
     * The binary machine of labels pos (+1) and neg (-1) over the samples {@code train} (indices into the table, in
     * the order Smile visits them), with the kernel read from the table. Seeds Smile's per-thread generator first.
     */
    static SVM<Integer> fitPair(double[][] gram, int[] train, int[] y, int pos, int neg, double C, long seed) {
        int n = 0;
        for (int i : train) {
            if (y[i] == pos || y[i] == neg) {
                n++;
            }
        }
        Integer[] xs = new Integer[n];
        int[] signs = new int[n];
        int j = 0;
        for (int i : train) {
            if (y[i] == pos || y[i] == neg) {
                xs[j] = i;
                signs[j++] = y[i] == pos ? +1 : -1;
            }
        }
        MathEx.setSeed(seed);
        return SVM.fit(xs, signs, new Table(gram), C, TOLERANCE, EPOCHS);
    }

    /** A precomputed kernel: the samples are row indices into the table. */
    static final class Table implements MercerKernel<Integer> {
        private static final long serialVersionUID = 1L;
        private final double[][] gram;

        Table(double[][] gram) {
            this.gram = gram;
        }

        @Override
        public double k(Integer i, Integer j) {
            return gram[i][j];
        }

        @Override
        public double[] kg(Integer i, Integer j) {
            throw new UnsupportedOperationException("a precomputed kernel has no hyperparameter gradient");
        }

        @Override
        public MercerKernel<Integer> of(double[] params) {
            throw new UnsupportedOperationException("a precomputed kernel has no hyperparameters");
        }

        @Override
        public double[] hyperparameters() {
            return new double[0];
        }

        @Override
        public double[] lo() {
            return new double[0];
        }

        @Override
        public double[] hi() {
            return new double[0];
        }
    }

    /** The predicted label of every row of X (one-versus-one voting). */
    public int[] predict(Matrix X) {
        int k = classes.length;
        int[] out = new int[X.rows()];
        int[] votes = new int[k];
        for (int i = 0; i < X.rows(); i++) {
            double[] x = X.row(i).data();
            out[i] = classes[vote(k, (a, b) -> pairs[a][b].score(x), votes)];
        }
        return out;
    }

    /** The score of the machine that separates class index a (positive) from b, for a &lt; b. */
    @FunctionalInterface
    interface PairScore {
        double score(int a, int b);
    }

    /**
     * One-versus-one voting over k classes: each pair (a, b), a &lt; b, votes for a when its score is positive,
     * else for b; the class index with the most votes wins, ties going to the smaller index.
     *
     * @param votes scratch of at least k entries (overwritten)
     */
    static int vote(int k, PairScore score, int[] votes) {
        Arrays.fill(votes, 0, k, 0);
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                votes[score.score(a, b) > 0 ? a : b]++;
            }
        }
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (votes[c] > votes[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The fraction of rows of X whose predicted label equals y. */
    public double accuracy(Matrix X, int[] y) {
        return Labels.accuracy(predict(X), y);
    }

    /** The score of every row of X under every pairwise machine, pair by pair (for tests). */
    double[][] scores(Matrix X) {
        List<double[]> out = new ArrayList<>();
        for (SVM<double[]>[] row : pairs) {
            for (SVM<double[]> m : row) {
                if (m != null) {
                    double[] s = new double[X.rows()];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = m.score(X.row(i).data());
                    }
                    out.add(s);
                }
            }
        }
        return out.toArray(double[][]::new);
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
