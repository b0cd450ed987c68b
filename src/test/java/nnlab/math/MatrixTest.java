package nnlab.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatrixTest {
    private static final Matrix A = Matrix.of(new double[] {1, 2, 3}, new double[] {4, 5, 6});

    @AfterEach
    void restoreThreads() {
        MatMul.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** Every product path (direct, vectorized, blocked, threaded) against the triple loop, to rounding. */
    @ParameterizedTest(name = "{0}x{1} times {1}x{2}")
    @CsvSource({"2,3,4", "1,1,1", "300,2,100", "300,100,3", "37,53,29", "64,64,64", "130,257,67", "257,300,513",
        "5,600,7", "600,5,700"})
    void everyProductVariantMatchesTheTripleLoop(int m, int k, int n) {
        NumpyRandom rng = new NumpyRandom(m * 1000 + k * 10 + n);
        Matrix a = rng.randn(m, k);
        Matrix b = rng.randn(k, n);
        Matrix expected = sequentialFma(a, b);
        double tol = 1e-12 * k;
        assertTrue(a.dot(b).approxEquals(expected, tol), "A·B");
        assertTrue(a.transpose().T().dot(b).approxEquals(expected, tol), "(Aᵀ)ᵀ·B");
        assertTrue(a.dot(b.transpose().T()).approxEquals(expected, tol), "A·(Bᵀ)ᵀ");
        assertTrue(a.transpose().T().dot(b.transpose().T()).approxEquals(expected, tol), "(Aᵀ)ᵀ·(Bᵀ)ᵀ");
    }

    /** Each element accumulated over k in order with fused multiply-adds: what BLAS micro-kernels (and numpy) do. */
    private static Matrix sequentialFma(Matrix a, Matrix b) {
        Matrix c = new Matrix(a.rows(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.cols(); j++) {
                double s = 0;
                for (int p = 0; p < a.cols(); p++) {
                    s = Math.fma(a.get(i, p), b.get(p, j), s);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    @ParameterizedTest(name = "{0}x{1} times {1}x{2}, bit for bit")
    @CsvSource({"300,100,3", "301,100,3", "100,300,3", "13,7,3", "5,9,2", "9,4,7", "2,300,100", "300,3,100",
        "300,2,100", "17,5,1", "1,5,17"})
    void smallProductsRoundLikeSequentialFmaInEveryVariant(int m, int k, int n) {
        NumpyRandom rng = new NumpyRandom(7 * m + 3 * k + n);
        Matrix a = rng.randn(m, k);
        Matrix b = rng.randn(k, n);
        double[] expected = sequentialFma(a, b).data();
        assertArrayEquals(expected, a.dot(b).data(), 0.0, "A·B");
        assertArrayEquals(expected, a.transpose().T().dot(b).data(), 0.0, "(Aᵀ)ᵀ·B");
        assertArrayEquals(expected, a.dot(b.transpose().T()).data(), 0.0, "A·(Bᵀ)ᵀ");
        Matrix out = Matrix.filled(m, n, 42); // a reused buffer holds old values; they must not leak in
        assertArrayEquals(expected, MatMul.multiplyInto(a.transpose(), true, b, false, out).data(), 0.0, "into");
    }

    @Test
    void productsDoNotDependOnTheThreadCount() {
        NumpyRandom rng = new NumpyRandom(1);
        Matrix a = rng.randn(517, 300);
        Matrix b = rng.randn(300, 389);
        MatMul.setThreads(1);
        Matrix one = a.dot(b);
        Matrix oneT = a.T().dot(a);
        MatMul.setThreads(2);
        Matrix two = a.dot(b);
        MatMul.setThreads(3);
        Matrix three = a.dot(b);
        Matrix threeT = a.T().dot(a);
        assertArrayEquals(one.data(), two.data(), 0.0);
        assertArrayEquals(one.data(), three.data(), 0.0);
        assertArrayEquals(oneT.data(), threeT.data(), 0.0);
    }

    @Test
    void shapeMismatchNamesTheOperationAndBothShapes() {
        Matrix x = new Matrix(300, 2);
        Matrix w = new Matrix(3, 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.dot(w));
        assertEquals("dot: (300x2)·(3x100): inner dimensions 2 and 3 differ", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.T().dot(w));
        assertTrue(e.getMessage().contains("(300x2)ᵀ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.add(w));
        assertTrue(e.getMessage().startsWith("add: (300x2) and (3x100)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.addRow(Matrix.rowVector(1, 2, 3)));
        assertTrue(e.getMessage().contains("expected a (1x2) row vector"), e.getMessage());
    }

    @Test
    void broadcastingAndElementwiseOperations() {
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, A.addRow(Matrix.rowVector(10, 20, 30)).data());
        assertArrayEquals(new double[] {2, 3, 4, 6, 7, 8}, A.addColumn(Matrix.columnVector(1, 2)).data());
        assertArrayEquals(new double[] {1, 4, 9, 16, 25, 36}, A.mul(A).data());
        assertArrayEquals(new double[] {0, 0, 1, 2, 3, 4}, A.plus(-2).maximum(0).data());
        assertArrayEquals(new double[] {2, 4, 6, 8, 10, 12}, A.times(2).data());
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2, 2.5, 3}, A.div(2).data());
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0}, A.sub(A).data());
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, A.transpose().data());
        assertTrue(Double.isNaN(Matrix.rowVector(Double.NaN).maximum(0).get(0)), "NaN propagates through maximum");
    }

    @Test
    void reductionsFollowNumpyAxes() {
        assertArrayEquals(new double[] {5, 7, 9}, A.colSums().data());
        assertEquals(1, A.colSums().rows());
        assertArrayEquals(new double[] {6, 15}, A.rowSums().data());
        assertEquals(1, A.rowSums().cols());
        assertEquals(21, A.sum());
        assertEquals(3.5, A.mean());
        assertEquals(91, A.sumOfSquares());
        assertArrayEquals(new double[] {2.5, 3.5, 4.5}, A.colMeans().data());
        assertArrayEquals(new double[] {1.5, 1.5, 1.5}, A.colStds().data(), 1e-15);
        assertArrayEquals(new int[] {2, 2}, A.argmaxRows());
        assertArrayEquals(new int[] {0}, Matrix.rowVector(3, 3, 1).argmaxRows(), "first index wins ties, as in numpy");
    }

    @Test
    void softmaxIsStableForHugeScores() {
        Matrix s = Matrix.of(new double[] {1000, 1001, 1002}, new double[] {-1000, 0, 1000});
        Matrix p = s.softmaxRows();
        assertArrayEquals(new double[] {1, 1}, p.rowSums().data(), 1e-15);
        double z = Math.exp(0) + Math.exp(1) + Math.exp(2);
        assertArrayEquals(new double[] {1 / z, Math.E / z, Math.exp(2) / z}, p.row(0).data(), 1e-15);
        assertEquals(1000 + Math.log(z), s.logSumExpRows().get(0), 1e-12);
        assertEquals(1000, s.logSumExpRows().get(1), 1e-12);
        assertTrue(!p.hasNonFinite() && !s.logSoftmaxRows().hasNonFinite());
    }

    @Test
    void slicingAndOneHot() {
        Matrix m = Matrix.of(new double[] {0, 1}, new double[] {2, 3}, new double[] {4, 5});
        assertArrayEquals(new double[] {4, 5, 0, 1}, m.rows(new int[] {2, 0}).data());
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, Matrix.oneHot(new int[] {1, 0}, 3).data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Matrix.oneHot(new int[] {0, 3}, 3));
        assertTrue(e.getMessage().contains("label 3 at index 1 is outside [0, 3)"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> m.rows(new int[] {3}));
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Matrix.linspace(0, 1, 5).data());
    }

    @Test
    void inPlaceUpdateReadsLikeTheMath() {
        Matrix w = Matrix.rowVector(1, 2);
        w.addScaledInPlace(-0.5, Matrix.rowVector(2, 2));
        assertArrayEquals(new double[] {0, 1}, w.data());
    }
}
