package nnlab.math;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Matrix products {@code C = op(A)·op(B)} where {@code op} is the identity or the transpose, without ever copying a
 * transpose into a new matrix.
 *
 * <p>Small products (the toy networks' 300x2·2x100) take direct loops whose inner loop the JIT vectorizes. Large ones
 * take a cache-blocked path in the style of GotoBLAS: a KC x NC block of op(B) and an MC x KC block of op(A) are
 * packed into contiguous panels, and a register-blocked micro-kernel multiplies an MR x NR tile at a time. When the
 * JVM runs with {@code --add-modules jdk.incubator.vector} the micro-kernel uses the Vector API ({@link
 * VectorKernels}); otherwise it is plain Java.
 *
 * <p>Determinism: every element of C is accumulated over k in the same order whatever the number of threads (the
 * work is split by whole rows or whole columns of C), so results never depend on the thread count.
 */
public final class MatMul {
    /**
     * Rows of a micro-tile, shared by the packing here and the micro-kernels: the vector kernel's ({@code
     * VectorKernels.MR}: 8 with 512-bit vectors, 6 with 256-bit ones) when the Vector API is on, else the plain-Java
     * kernel's 6. (The unpacked small products choose their own row blocks.)
     */
    static final int MR = VectorSupport.AVAILABLE ? VectorKernels.MR : 6;
    /** Columns of a micro-tile, as {@link #MR}: the vector kernel's (24 or 8 doubles), else the plain kernel's 8. */
    static final int NR = VectorSupport.AVAILABLE ? VectorKernels.NR : ScalarKernel.NR;
    static final int KC = 256;
    static final int MC = 96;
    /**
     * Columns of a packed block of op(B): at least 512 in whole strips of NR (528 with 24-column strips), so that a
     * product 1024 wide takes two blocks, not three: each block packs all of op(A) again.
     */
    static final int NC = (512 + NR - 1) / NR * NR;
    /** Below this many multiply-adds a product runs on the direct loops. */
    private static final long SMALL = 48L * 48 * 48;
    /** With the Vector API, products below this many multiply-adds skip packing (as the toy networks' do). */
    private static final long SMALL_VECTOR = 160L * 160 * 160;
    /**
     * With the Vector API, a product this small whose op(B) has at most this many elements (1 MB, so it stays in L2)
     * reads B in place even when it is wide: packing it would copy more than the few row blocks of A reuse it (a
     * convolution's W · X, 16 rows by 784 columns).
     */
    private static final long B_IN_PLACE = 1L << 17;
    /** Above this many multiply-adds a product is split across threads. */
    private static final long PARALLEL = 96L * 96 * 96;

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static ExecutorService pool;

    private MatMul() {
    }

    /** Whether the Vector API micro-kernel is in use (the JVM was started with jdk.incubator.vector). */
    public static boolean vectorized() {
        return VectorSupport.AVAILABLE;
    }

    /** Number of threads large products may use (default: available processors). Results do not depend on it. */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("MatMul.setThreads: need at least 1 thread, got " + n);
        }
        threads = n;
    }

    /** The number of threads large products (and {@link Parallel}) use: the available cores unless set otherwise. */
    public static int threads() {
        return threads;
    }

    /**
     * Returns {@code op(a)·op(b)}. {@code transA}/{@code transB} say whether to use the transpose of a/b.
     *
     * @throws IllegalArgumentException naming the operation and both shapes when the inner dimensions differ
     */
    public static Matrix multiply(Matrix a, boolean transA, Matrix b, boolean transB) {
        int ka = checkInner(a, transA, b, transB);
        Matrix c = new Matrix(transA ? a.cols() : a.rows(), transB ? b.rows() : b.cols());
        multiplyInto(a.data(), a.cols(), transA, b.data(), b.cols(), transB, c.data(), c.rows(), c.cols(), ka, true);
        return c;
    }

    /**
     * {@code out = op(a)·op(b)} into a result the caller keeps from call to call (see {@link Matrix#reuse}); the same
     * arithmetic as {@link #multiply}, so the same bits. Returns out.
     */
    public static Matrix multiplyInto(Matrix a, boolean transA, Matrix b, boolean transB, Matrix out) {
        int ka = checkInner(a, transA, b, transB);
        int m = transA ? a.cols() : a.rows();
        int n = transB ? b.rows() : b.cols();
        if (out.rows() != m || out.cols() != n) {
            throw new IllegalArgumentException("dot: the result " + out.shapeString() + " should be (" + m + "x" + n
                    + ")");
        }
        multiplyInto(a.data(), a.cols(), transA, b.data(), b.cols(), transB, out.data(), m, n, ka, false);
        return out;
    }

    private static int checkInner(Matrix a, boolean transA, Matrix b, boolean transB) {
        int ka = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        if (ka != kb) {
            String opName = transA ? (transB ? "dot (Aᵀ·Bᵀ)" : "dot (Aᵀ·B)") : (transB ? "dot (A·Bᵀ)" : "dot");
            String left = transA ? "(" + a.rows() + "x" + a.cols() + ")ᵀ" : a.shapeString();
            String right = transB ? "(" + b.rows() + "x" + b.cols() + ")ᵀ" : b.shapeString();
            throw new IllegalArgumentException(opName + ": " + left + "·" + right + ": inner dimensions " + ka
                    + " and " + kb + " differ");
        }
        return ka;
    }

    /**
     * Raw entry: C(m x n, row-major) = op(A)·op(B), inner dimension k, row strides lda, ldb. {@code zeroed} says C
     * holds zeros already; otherwise it is cleared first, except on the small vector path, which overwrites every
     * element (clearing 30 000 doubles was a tenth of a spiral iteration).
     */
    static void multiplyInto(double[] a, int lda, boolean transA, double[] b, int ldb, boolean transB, double[] c,
                             int m, int n, int k, boolean zeroed) {
        if (m == 0 || n == 0) {
            return;
        }
        long work = (long) m * n * k;
        boolean smallVector = VectorSupport.AVAILABLE && k > 0
                && (work < SMALL || (work < SMALL_VECTOR && (n < NC || (long) k * n <= B_IN_PLACE)));
        if (!zeroed && !smallVector) {
            java.util.Arrays.fill(c, 0, m * n, 0.0);
        }
        if (k == 0) {
            return;
        }
        if (work < SMALL || smallVector) {
            if (smallVector) {
                if (transB) { // lanes need op(B) rows contiguous: pack Bᵀ (k x n), small next to the product
                    double[] bt = new double[k * n];
                    for (int j = 0; j < n; j++) {
                        for (int p = 0; p < k; p++) {
                            bt[p * n + j] = b[j * ldb + p];
                        }
                    }
                    VectorKernels.smallProduct(a, lda, transA, bt, n, c, m, n, k);
                } else {
                    VectorKernels.smallProduct(a, lda, transA, b, ldb, c, m, n, k);
                }
            } else {
                direct(a, lda, transA, b, ldb, transB, c, m, n, k);
            }
            return;
        }
        // Inside a Parallel.forEach task the cores are already busy: the product stays on the calling thread.
        int t = Parallel.insideTask() ? 1 : (int) Math.min(threads, Math.max(1, work / PARALLEL));
        if (t <= 1) {
            blocked(a, lda, transA, b, ldb, transB, c, n, 0, m, 0, n, k);
            return;
        }
        // Split C into t bands of whole rows or whole columns; each band is an independent product. Columns when C
        // is wide, or when each band still gets half a block of op(B) or more: then no two threads pack the same
        // block of op(B), which bands of rows all do (1024³ on 2 threads: 3 % faster by columns).
        boolean byRows = m >= n && n < t * NC / 2;
        int extent = byRows ? m : n;
        int unit = byRows ? MR : NR;
        int per = ((extent + t - 1) / t + unit - 1) / unit * unit;
        List<Runnable> tasks = new ArrayList<>();
        for (int start = 0; start < extent; start += per) {
            int s = start;
            int e = Math.min(extent, start + per);
            tasks.add(byRows
                    ? () -> blocked(a, lda, transA, b, ldb, transB, c, n, s, e, 0, n, k)
                    : () -> blocked(a, lda, transA, b, ldb, transB, c, n, 0, m, s, e, k));
        }
        runAll(tasks);
    }

    /** The daemon threads shared by large products and {@link Parallel#forEach}. */
    static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newCachedThreadPool(r -> {
                Thread th = new Thread(r, "nnlab-matmul");
                th.setDaemon(true);
                return th;
            });
        }
        return pool;
    }

    private static void runAll(List<Runnable> tasks) {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 1; i < tasks.size(); i++) {
            futures.add(pool().submit(tasks.get(i)));
        }
        tasks.get(0).run(); // the calling thread works too
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("matrix product interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("matrix product failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Straight loops for small products; the innermost loop runs along contiguous memory where it can. Each element
     * is accumulated over k in order with fused multiply-adds, the way BLAS micro-kernels (and so numpy) do.
     */
    private static void direct(double[] a, int lda, boolean transA, double[] b, int ldb, boolean transB, double[] c,
                               int m, int n, int k) {
        if (!transB) {
            if (!transA) {
                for (int i = 0; i < m; i++) {
                    int ci = i * n;
                    for (int p = 0; p < k; p++) {
                        double aip = a[i * lda + p];
                        int bp = p * ldb;
                        for (int j = 0; j < n; j++) {
                            c[ci + j] = Math.fma(aip, b[bp + j], c[ci + j]);
                        }
                    }
                }
            } else {
                for (int p = 0; p < k; p++) {
                    int ap = p * lda;
                    int bp = p * ldb;
                    for (int i = 0; i < m; i++) {
                        double api = a[ap + i];
                        int ci = i * n;
                        for (int j = 0; j < n; j++) {
                            c[ci + j] = Math.fma(api, b[bp + j], c[ci + j]);
                        }
                    }
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int bj = j * ldb;
                    double s = 0;
                    if (!transA) {
                        int ai = i * lda;
                        for (int p = 0; p < k; p++) {
                            s = Math.fma(a[ai + p], b[bj + p], s);
                        }
                    } else {
                        for (int p = 0; p < k; p++) {
                            s = Math.fma(a[p * lda + i], b[bj + p], s);
                        }
                    }
                    c[i * n + j] = s;
                }
            }
        }
    }

    /**
     * The packing buffers of one thread, kept from product to product: allocating (and zeroing) 1 MB for every
     * product costs as much as a mid-sized product itself (a convolution runs thousands of them per epoch).
     */
    private static final class Panels {
        final double[] b = new double[KC * (NC + NR)];
        final double[] a = new double[MC * KC];
        final double[] tile = new double[MR * NR];
        final double[] scratch = new double[MR * NR];
    }

    private static final ThreadLocal<Panels> PANELS = ThreadLocal.withInitial(Panels::new);

    /** Packed, cache-blocked product for rows [i0,i1) and columns [j0,j1) of C. */
    private static void blocked(double[] a, int lda, boolean transA, double[] b, int ldb, boolean transB, double[] c,
                                int ldc, int i0, int i1, int j0, int j1, int k) {
        Panels panels = PANELS.get();
        double[] packedB = panels.b;
        double[] packedA = panels.a;
        double[] tile = panels.tile;
        double[] scratch = panels.scratch;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int strips = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, ldb, transB, pc, kc, jc, nc, NR, packedB);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(a, lda, transA, ic, mc, pc, kc, packedA);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int rows = Math.min(MR, mc - ir);
                        for (int s = 0; s < strips; s++) {
                            int jr = jc + s * NR;
                            int cols = Math.min(NR, jc + nc - jr);
                            int aOff = ir * kc;
                            int bOff = s * NR * kc;
                            if (rows == MR && cols == NR) {
                                kernel(packedA, aOff, packedB, bOff, kc, c, (ic + ir) * ldc + jr, ldc, scratch);
                            } else {
                                java.util.Arrays.fill(tile, 0.0);
                                kernel(packedA, aOff, packedB, bOff, kc, tile, 0, NR, scratch);
                                for (int r = 0; r < rows; r++) {
                                    int co = (ic + ir + r) * ldc + jr;
                                    for (int q = 0; q < cols; q++) {
                                        c[co + q] += tile[r * NR + q];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void kernel(double[] pa, int aOff, double[] pb, int bOff, int kc, double[] c, int cOff, int ldc,
                               double[] scratch) {
        if (VectorSupport.AVAILABLE) {
            VectorKernels.kernel(pa, aOff, pb, bOff, kc, c, cOff, ldc, scratch);
        } else {
            ScalarKernel.kernel(pa, aOff, pb, bOff, kc, c, cOff, ldc);
        }
    }

    /** Packs op(B)[pc:pc+kc, jc:jc+nc] into strips of nr columns, each strip kc x nr contiguous, zero-padded. */
    private static void packB(double[] b, int ldb, boolean transB, int pc, int kc, int jc, int nc, int nr,
                              double[] out) {
        int strips = (nc + nr - 1) / nr;
        for (int s = 0; s < strips; s++) {
            int base = s * nr * kc;
            int j0 = jc + s * nr;
            int cols = Math.min(nr, jc + nc - j0);
            for (int p = 0; p < kc; p++) {
                int o = base + p * nr;
                if (!transB) {
                    System.arraycopy(b, (pc + p) * ldb + j0, out, o, cols);
                } else {
                    for (int q = 0; q < cols; q++) {
                        out[o + q] = b[(j0 + q) * ldb + pc + p];
                    }
                }
                for (int q = cols; q < nr; q++) {
                    out[o + q] = 0.0;
                }
            }
        }
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows, each kc x MR with the MR values of one p adjacent; the
     * rows of a last, partial panel are zeros. Reads run along contiguous memory (along a row of A, or along a row
     * of Aᵀ's storage), with no test per element.
     */
    private static void packA(double[] a, int lda, boolean transA, int ic, int mc, int pc, int kc, double[] out) {
        for (int ir = 0; ir < mc; ir += MR) {
            int base = ir * kc;
            int rows = Math.min(MR, mc - ir);
            if (rows < MR) {
                java.util.Arrays.fill(out, base, base + kc * MR, 0.0);
            }
            if (!transA) {
                for (int r = 0; r < rows; r++) {
                    int src = (ic + ir + r) * lda + pc;
                    for (int p = 0, o = base + r; p < kc; p++, o += MR) {
                        out[o] = a[src + p];
                    }
                }
            } else if (rows == MR) {
                for (int p = 0, o = base; p < kc; p++, o += MR) {
                    System.arraycopy(a, (pc + p) * lda + ic + ir, out, o, MR);
                }
            } else {
                for (int p = 0, o = base; p < kc; p++, o += MR) {
                    System.arraycopy(a, (pc + p) * lda + ic + ir, out, o, rows);
                }
            }
        }
    }

    /** The plain-Java micro-kernel: an MR x 8 tile of C += packed A panel · packed B strip. */
    static final class ScalarKernel {
        static final int NR = 8;

        private ScalarKernel() {
        }

        static void kernel(double[] pa, int aOff, double[] pb, int bOff, int kc, double[] c, int cOff, int ldc) {
            double[] acc = new double[MR * NR];
            for (int p = 0; p < kc; p++) {
                int bo = bOff + p * NR;
                int ao = aOff + p * MR;
                for (int r = 0; r < MR; r++) {
                    double ar = pa[ao + r];
                    int ro = r * NR;
                    for (int q = 0; q < NR; q++) {
                        acc[ro + q] += ar * pb[bo + q];
                    }
                }
            }
            for (int r = 0; r < MR; r++) {
                for (int q = 0; q < NR; q++) {
                    c[cOff + r * ldc + q] += acc[r * NR + q];
                }
            }
        }
    }
}
