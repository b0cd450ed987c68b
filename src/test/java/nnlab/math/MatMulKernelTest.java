package nnlab.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packed micro-kernel path ({@code MatMul.blocked}) and the small paths at shapes that are not multiples of any
 * tile or block (MR, NR, MC, KC, NC), in all four transpose variants, on 1, 2 and 3 threads. Run once with the Vector
 * API and once with {@code -Dnnlab.noVector=true}: both must match the sequential FMA loop to rounding.
 */
class MatMulKernelTest {
    @AfterEach
    void restoreThreads() {
        MatMul.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static Matrix sequentialFma(Matrix a, boolean ta, Matrix b, boolean tb) {
        int m = ta ? a.cols() : a.rows();
        int k = ta ? a.rows() : a.cols();
        int n = tb ? b.rows() : b.cols();
        Matrix c = new Matrix(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(ta ? a.get(p, i) : a.get(i, p), tb ? b.get(j, p) : b.get(p, j), s);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    @ParameterizedTest(name = "{0}x{1} times {1}x{2}, every variant, 1-3 threads")
    @CsvSource({"1,1,1", "7,13,5", "6,8,8", "13,300,17", "97,257,9", "101,513,203", "200,130,530", "530,70,190",
        "1,700,300", "300,700,1", "193,600,7", "50,40,37", "16,784,144", "70,100,800"})
    void packedAndSmallProductsMatchTheSequentialLoopAndIgnoreTheThreadCount(int m, int k, int n) {
        NumpyRandom rng = new NumpyRandom(31L * m + 7L * k + n);
        Matrix a = rng.randn(m, k);
        Matrix at = a.transpose();
        Matrix b = rng.randn(k, n);
        Matrix bt = b.transpose();
        Matrix expected = sequentialFma(a, false, b, false);
        double tol = 1e-12 * k;
        for (int variant = 0; variant < 4; variant++) {
            boolean ta = (variant & 1) != 0;
            boolean tb = (variant & 2) != 0;
            Matrix left = ta ? at : a;
            Matrix right = tb ? bt : b;
            String what = (ta ? "Aᵀ" : "A") + "·" + (tb ? "Bᵀ" : "B") + " " + m + "x" + k + "x" + n;
            MatMul.setThreads(1);
            Matrix one = MatMul.multiply(left, ta, right, tb);
            assertTrue(one.approxEquals(expected, tol), what + " against the sequential loop");
            for (int t = 2; t <= 3; t++) {
                MatMul.setThreads(t);
                assertArrayEquals(one.data(), MatMul.multiply(left, ta, right, tb).data(), 0.0,
                        what + " on " + t + " threads differs from 1 thread");
            }
            Matrix out = Matrix.filled(m, n, -7); // a reused result buffer: its old values must not leak in
            assertArrayEquals(one.data(), MatMul.multiplyInto(left, ta, right, tb, out).data(), 0.0,
                    what + " into a reused buffer");
        }
    }

    /**
     * The unpacked small products keep each element one FMA chain over k from zero, whatever tile or lane layout
     * does it: bit for bit the sequential loop (training's exact-order guarantee). Shapes of the spiral net
     * (xᵀ·dout with 3 classes, x·W1 with 2 features), of the conv layers (W·X, X·doutᵀ, Wᵀ·dout), inner dimensions
     * of 1-3, and narrow widths 1-7.
     */
    @ParameterizedTest(name = "{0}x{1} times {1}x{2}, every variant, exactly")
    @CsvSource({"100,300,3", "300,100,3", "97,41,7", "64,30,1", "70,9,5", "35,12,2", "300,2,100", "300,3,100",
        "7,1,9", "13,2,5", "16,144,784", "144,784,16",
        "144,16,784", "32,288,196", "9,7056,16", "16,9,7056", "300,2,13", "5,3,9", "4,1,8", "6,2,17"})
    void smallProductsAreTheSequentialFmaLoopBitForBit(int m, int k, int n) {
        NumpyRandom rng = new NumpyRandom(17L * m + 5L * k + n);
        Matrix a = rng.randn(m, k);
        Matrix b = rng.randn(k, n);
        Matrix expected = sequentialFma(a, false, b, false);
        boolean exact = MatMul.vectorized() || (long) m * n * k < 48L * 48 * 48; // the plain blocked path is not FMA
        for (int variant = 0; variant < 4; variant++) {
            boolean ta = (variant & 1) != 0;
            boolean tb = (variant & 2) != 0;
            Matrix c = MatMul.multiply(ta ? a.transpose() : a, ta, tb ? b.transpose() : b, tb);
            String what = (ta ? "Aᵀ" : "A") + "·" + (tb ? "Bᵀ" : "B") + " " + m + "x" + k + "x" + n;
            if (exact) {
                assertArrayEquals(expected.data(), c.data(), 0.0, what + " differs from the sequential FMA loop");
            } else {
                assertTrue(c.approxEquals(expected, 1e-12 * k), what + " against the sequential loop");
            }
        }
    }
}
