package nnlab.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Loaded only when {@link VectorSupport#AVAILABLE}: referencing this class in a JVM without
 * {@code jdk.incubator.vector} would fail to link.
 */
final class VectorKernels {
    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final int L = SPECIES.length();
    /** Columns of a micro-tile: three vectors, so 4 x 3 accumulators stay in registers. */
    static final int NR = 3 * L;

    private VectorKernels() {
    }

    /** C[MR x NR tile at cOff, row stride ldc] += packed A panel (kc x MR) · packed B strip (kc x NR). */
    static void kernel(double[] pa, int aOff, double[] pb, int bOff, int kc, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c01 = c00;
        DoubleVector c02 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c12 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c22 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c32 = c00;
        int bo = bOff;
        int ao = aOff;
        for (int p = 0; p < kc; p++, bo += NR, ao += MatMul.MR) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, pb, bo);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, pb, bo + L);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, pb, bo + 2 * L);
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, pa[ao]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, pa[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, pa[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, pa[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        addTo(c, cOff, c00, c01, c02);
        addTo(c, cOff + ldc, c10, c11, c12);
        addTo(c, cOff + 2 * ldc, c20, c21, c22);
        addTo(c, cOff + 3 * ldc, c30, c31, c32);
    }

    private static void addTo(double[] c, int off, DoubleVector v0, DoubleVector v1, DoubleVector v2) {
        DoubleVector.fromArray(SPECIES, c, off).add(v0).intoArray(c, off);
        DoubleVector.fromArray(SPECIES, c, off + L).add(v1).intoArray(c, off + L);
        DoubleVector.fromArray(SPECIES, c, off + 2 * L).add(v2).intoArray(c, off + 2 * L);
    }

    /**
     * C (m x n, row-major, overwritten) = op(A)·B for small products, B row-major k x n with row stride ldb.
     * Lanes run across output columns, so every element is still accumulated over k in order with fused
     * multiply-adds: vectorizing does not change a single rounding. Columns past the last full vector are done in
     * scalar code, eight rows at a time to keep eight independent FMA chains in flight.
     */
    static void smallProduct(double[] a, int lda, boolean transA, double[] b, int ldb, double[] c, int m, int n,
                             int k) {
        int jv = SPECIES.loopBound(n);
        for (int i0 = 0; i0 < m; i0 += 4) {
            int rows = Math.min(4, m - i0);
            if (rows == 4) {
                int r0 = transA ? i0 : i0 * lda;
                int r1 = transA ? i0 + 1 : (i0 + 1) * lda;
                int r2 = transA ? i0 + 2 : (i0 + 2) * lda;
                int r3 = transA ? i0 + 3 : (i0 + 3) * lda;
                int step = transA ? lda : 1;
                for (int j = 0; j < jv; j += L) {
                    DoubleVector acc0 = DoubleVector.zero(SPECIES);
                    DoubleVector acc1 = acc0;
                    DoubleVector acc2 = acc0;
                    DoubleVector acc3 = acc0;
                    for (int p = 0, bo = j, ao = 0; p < k; p++, bo += ldb, ao += step) {
                        DoubleVector bv = DoubleVector.fromArray(SPECIES, b, bo);
                        acc0 = DoubleVector.broadcast(SPECIES, a[r0 + ao]).fma(bv, acc0);
                        acc1 = DoubleVector.broadcast(SPECIES, a[r1 + ao]).fma(bv, acc1);
                        acc2 = DoubleVector.broadcast(SPECIES, a[r2 + ao]).fma(bv, acc2);
                        acc3 = DoubleVector.broadcast(SPECIES, a[r3 + ao]).fma(bv, acc3);
                    }
                    acc0.intoArray(c, i0 * n + j);
                    acc1.intoArray(c, (i0 + 1) * n + j);
                    acc2.intoArray(c, (i0 + 2) * n + j);
                    acc3.intoArray(c, (i0 + 3) * n + j);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int i = i0 + r;
                    for (int j = 0; j < jv; j += L) {
                        DoubleVector acc = DoubleVector.zero(SPECIES);
                        for (int p = 0; p < k; p++) {
                            double av = transA ? a[p * lda + i] : a[i * lda + p];
                            acc = DoubleVector.broadcast(SPECIES, av).fma(DoubleVector.fromArray(SPECIES, b, p * ldb + j),
                                    acc);
                        }
                        acc.intoArray(c, i * n + j);
                    }
                }
            }
        }
        if (jv < n) {
            scalarColumns(a, lda, transA, b, ldb, c, m, n, k, jv);
        }
    }

    /** Columns [j0, n) of C = op(A)·B, eight rows at a time, each element a sequential FMA chain over k. */
    private static void scalarColumns(double[] a, int lda, boolean transA, double[] b, int ldb, double[] c, int m,
                                      int n, int k, int j0) {
        int rowStep = transA ? 1 : lda;
        int pStep = transA ? lda : 1;
        int i0 = 0;
        for (; i0 + 8 <= m; i0 += 8) {
            int base = i0 * rowStep;
            for (int j = j0; j < n; j++) {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                for (int p = 0, ao = base, bo = j; p < k; p++, ao += pStep, bo += ldb) {
                    double bv = b[bo];
                    s0 = Math.fma(a[ao], bv, s0);
                    s1 = Math.fma(a[ao + rowStep], bv, s1);
                    s2 = Math.fma(a[ao + 2 * rowStep], bv, s2);
                    s3 = Math.fma(a[ao + 3 * rowStep], bv, s3);
                    s4 = Math.fma(a[ao + 4 * rowStep], bv, s4);
                    s5 = Math.fma(a[ao + 5 * rowStep], bv, s5);
                    s6 = Math.fma(a[ao + 6 * rowStep], bv, s6);
                    s7 = Math.fma(a[ao + 7 * rowStep], bv, s7);
                }
                c[i0 * n + j] = s0;
                c[(i0 + 1) * n + j] = s1;
                c[(i0 + 2) * n + j] = s2;
                c[(i0 + 3) * n + j] = s3;
                c[(i0 + 4) * n + j] = s4;
                c[(i0 + 5) * n + j] = s5;
                c[(i0 + 6) * n + j] = s6;
                c[(i0 + 7) * n + j] = s7;
            }
        }
        for (; i0 < m; i0++) {
            for (int j = j0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(transA ? a[p * lda + i0] : a[i0 * lda + p], b[p * ldb + j], s);
                }
                c[i0 * n + j] = s;
            }
        }
    }
}
