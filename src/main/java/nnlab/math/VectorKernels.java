package nnlab.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Loaded only when {@link VectorSupport#AVAILABLE}: referencing this class in a JVM without
 * {@code jdk.incubator.vector} would fail to link.
 */
final class VectorKernels {
    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final int L = SPECIES.length();
    /**
     * With 512-bit vectors (32 registers) the packed micro-kernel takes 8 rows x 3 vectors (24 accumulators);
     * with 256-bit vectors (16 registers), 6 rows x 2 vectors (12).
     */
    static final boolean WIDE_TILE = L >= 8;
    /** Rows of the packed micro-kernel's tile ({@link MatMul#MR} takes this value). */
    static final int MR = WIDE_TILE ? 8 : 6;
    /** Columns of the packed micro-kernel's tile: three vectors or two (see {@link #WIDE_TILE}). */
    static final int NR = (WIDE_TILE ? 3 : 2) * L;

    private VectorKernels() {
    }

    /** dst[k] = src[k] > s or NaN ? src[k] : s, for k < n (numpy's maximum; one comparison per element). */
    static void maximum(double[] src, double s, double[] dst, int n) {
        int kv = SPECIES.loopBound(n);
        DoubleVector sv = DoubleVector.broadcast(SPECIES, s);
        int k = 0;
        for (; k < kv; k += L) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, src, k);
            v.blend(sv, v.compare(VectorOperators.LE, sv)).intoArray(dst, k); // NaN compares false: kept
        }
        for (; k < n; k++) {
            double v = src[k];
            dst[k] = (v > s || Double.isNaN(v)) ? v : s;
        }
    }

    /** dst[k] = gate[k] > 0 ? g[k] : 0, for k < n (the ReLU switch of the backward pass). */
    static void gatePositive(double[] g, double[] gate, double[] dst, int n) {
        int kv = SPECIES.loopBound(n);
        DoubleVector zero = DoubleVector.zero(SPECIES);
        int k = 0;
        for (; k < kv; k += L) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, gate, k);
            zero.blend(DoubleVector.fromArray(SPECIES, g, k), x.compare(VectorOperators.GT, zero)).intoArray(dst, k);
        }
        for (; k < n; k++) {
            dst[k] = gate[k] > 0 ? g[k] : 0.0;
        }
    }

    /** dst[d + j] += src[s + j] for j < n. */
    static void addTo(double[] src, int s, double[] dst, int d, int n) {
        int jv = SPECIES.loopBound(n);
        int j = 0;
        for (; j < jv; j += L) {
            DoubleVector.fromArray(SPECIES, dst, d + j).add(DoubleVector.fromArray(SPECIES, src, s + j))
                    .intoArray(dst, d + j);
        }
        for (; j < n; j++) {
            dst[d + j] += src[s + j];
        }
    }

    /** m (rows x cols) += row broadcast down the rows. */
    static void addRow(double[] m, int rows, int cols, double[] row) {
        int jv = SPECIES.loopBound(cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            int j = 0;
            for (; j < jv; j += L) {
                DoubleVector.fromArray(SPECIES, m, o + j).add(DoubleVector.fromArray(SPECIES, row, j))
                        .intoArray(m, o + j);
            }
            for (; j < cols; j++) {
                m[o + j] += row[j];
            }
        }
    }

    /**
     * out (1 x cols) = sums down the columns of m (rows x cols), row after row as numpy adds them. The sums of four
     * column vectors run side by side in registers, so that four addition chains are in flight.
     */
    static void colSums(double[] m, int rows, int cols, double[] out) {
        int jv = SPECIES.loopBound(cols);
        int j = 0;
        for (; j + 4 * L <= jv; j += 4 * L) {
            DoubleVector s0 = DoubleVector.zero(SPECIES);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int i = 0, o = j; i < rows; i++, o += cols) {
                s0 = s0.add(DoubleVector.fromArray(SPECIES, m, o));
                s1 = s1.add(DoubleVector.fromArray(SPECIES, m, o + L));
                s2 = s2.add(DoubleVector.fromArray(SPECIES, m, o + 2 * L));
                s3 = s3.add(DoubleVector.fromArray(SPECIES, m, o + 3 * L));
            }
            s0.intoArray(out, j);
            s1.intoArray(out, j + L);
            s2.intoArray(out, j + 2 * L);
            s3.intoArray(out, j + 3 * L);
        }
        for (; j < jv; j += L) {
            DoubleVector s0 = DoubleVector.zero(SPECIES);
            for (int i = 0, o = j; i < rows; i++, o += cols) {
                s0 = s0.add(DoubleVector.fromArray(SPECIES, m, o));
            }
            s0.intoArray(out, j);
        }
        for (; j < cols; j++) {
            double s0 = 0;
            for (int i = 0, o = j; i < rows; i++, o += cols) {
                s0 += m[o];
            }
            out[j] = s0;
        }
    }

    /**
     * C[MR x NR tile at cOff, row stride ldc] += packed A panel (kc x MR) · packed B strip (kc x NR). With 512-bit
     * vectors, {@link #tile8x3}: per p 3 loads of B and 8 broadcasts of A for 24 FMAs, so fewer bytes come from the
     * caches per FMA than with 6 x 2 (2 + 6 for 12); on an Intel AVX-512 core, with the loop of a 1024³ product,
     * that was 80-85 against 65 GFLOP/s. With 256-bit vectors (16 registers) 12 accumulators + 2 B + 1 broadcast
     * fit; a 4 x 3-vector tile (12 + 3 + 1) made C2 spill and ran at half the speed (20 against 39 GFLOP/s on
     * L1-resident panels, Zen 3). {@code scratch} holds at least MR x NR doubles.
     */
    static void kernel(double[] pa, int aOff, double[] pb, int bOff, int kc, double[] c, int cOff, int ldc,
                       double[] scratch) {
        if (WIDE_TILE) {
            tile8x3(pa, aOff, pb, bOff, kc, scratch);
            for (int r = 0, o = cOff; r < 8; r++, o += ldc) {
                addTo(scratch, r * NR, c, o, NR);
            }
        } else {
            tile6x2(pa, aOff, pb, bOff, NR, kc, c, cOff, ldc, true);
        }
    }

    /**
     * tile[8 x 3L, row-major] = packed A panel (kc x 8 from pa[aOff]) · packed B strip (kc x 3L from pb[bOff]), each
     * element an FMA chain over p from zero. The accumulators are stored to the tile rather than added to C here:
     * with the 24 loads and stores of C in this method as well, C2 gave up compiling it (4 GFLOP/s).
     */
    private static void tile8x3(double[] pa, int aOff, double[] pb, int bOff, int kc, double[] tile) {
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
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c42 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        DoubleVector c52 = c00;
        DoubleVector c60 = c00;
        DoubleVector c61 = c00;
        DoubleVector c62 = c00;
        DoubleVector c70 = c00;
        DoubleVector c71 = c00;
        DoubleVector c72 = c00;
        for (int p = 0, bo = bOff, ao = aOff; p < kc; p++, bo += 3 * L, ao += 8) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, pb, bo);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, pb, bo + L);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, pb, bo + 2 * L);
            DoubleVector av = DoubleVector.broadcast(SPECIES, pa[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        int w = 3 * L;
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, w);
        c11.intoArray(tile, w + L);
        c12.intoArray(tile, w + 2 * L);
        c20.intoArray(tile, 2 * w);
        c21.intoArray(tile, 2 * w + L);
        c22.intoArray(tile, 2 * w + 2 * L);
        c30.intoArray(tile, 3 * w);
        c31.intoArray(tile, 3 * w + L);
        c32.intoArray(tile, 3 * w + 2 * L);
        c40.intoArray(tile, 4 * w);
        c41.intoArray(tile, 4 * w + L);
        c42.intoArray(tile, 4 * w + 2 * L);
        c50.intoArray(tile, 5 * w);
        c51.intoArray(tile, 5 * w + L);
        c52.intoArray(tile, 5 * w + 2 * L);
        c60.intoArray(tile, 6 * w);
        c61.intoArray(tile, 6 * w + L);
        c62.intoArray(tile, 6 * w + 2 * L);
        c70.intoArray(tile, 7 * w);
        c71.intoArray(tile, 7 * w + L);
        c72.intoArray(tile, 7 * w + 2 * L);
    }

    /**
     * The 6 x 2-vector register tile over k steps: A packed p-major (the six values of one p adjacent, from
     * a[aOff]), B rows ldb apart from b[bOff]; the tile is added to C ({@code accumulate}) or written over it.
     */
    static void tile6x2(double[] pa, int aOff, double[] b, int bOff, int ldb, int kc, double[] c, int cOff, int ldc,
                        boolean accumulate) {
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        for (int p = 0, bo = bOff, ao = aOff; p < kc; p++, bo += ldb, ao += 6) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bo + L);
            DoubleVector av = DoubleVector.broadcast(SPECIES, pa[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        if (accumulate) {
            addTo(c, cOff, c00, c01);
            addTo(c, cOff + ldc, c10, c11);
            addTo(c, cOff + 2 * ldc, c20, c21);
            addTo(c, cOff + 3 * ldc, c30, c31);
            addTo(c, cOff + 4 * ldc, c40, c41);
            addTo(c, cOff + 5 * ldc, c50, c51);
        } else {
            c00.intoArray(c, cOff);
            c01.intoArray(c, cOff + L);
            c10.intoArray(c, cOff + ldc);
            c11.intoArray(c, cOff + ldc + L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + L);
        }
    }

    private static void addTo(double[] c, int off, DoubleVector v0, DoubleVector v1) {
        DoubleVector.fromArray(SPECIES, c, off).add(v0).intoArray(c, off);
        DoubleVector.fromArray(SPECIES, c, off + L).add(v1).intoArray(c, off + L);
    }

    /**
     * C (m x n, row-major, overwritten) = op(A)·B for small products, B row-major k x n with row stride ldb.
     * Lanes run across output columns, so every element is still accumulated over k in order with fused
     * multiply-adds: vectorizing does not change a single rounding. Columns past the last full vector are done by
     * {@link #narrowColumns}, with lanes across rows instead.
     */
    static void smallProduct(double[] a, int lda, boolean transA, double[] b, int ldb, double[] c, int m, int n,
                             int k) {
        if (k <= FEW_TERMS) {
            fewTerms(a, lda, transA, b, ldb, c, m, n, k);
            return;
        }
        int jv = SPECIES.loopBound(n);
        int below = rowBlocks(a, lda, transA, b, ldb, c, m, n, k, jv);
        // The rows below the last block. Every loop here calls a small tile method, as rowBlocks does: written inline
        // in this method, these loops showed up in profiles as the Vector API's slow Java fallbacks.
        int step = transA ? lda : 1;
        int rs = transA ? 1 : lda;
        for (int i0 = below; i0 < m; i0 += 4) {
            int rows = Math.min(4, m - i0);
            int r0 = transA ? i0 : i0 * lda;
            if (rows == 4) {
                int j = 0;
                for (; j + 3 * L <= jv; j += 3 * L) { // 4 x 3 vectors: 12 FMA chains in flight
                    tile4x3(a, r0, rs, step, b, j, ldb, k, c, i0 * n + j, n);
                }
                for (; j < jv; j += L) { // the last vector of columns: two 2-row tiles
                    tile2x1(a, r0, r0 + rs, step, b, j, ldb, k, c, i0 * n + j, n);
                    tile2x1(a, r0 + 2 * rs, r0 + 3 * rs, step, b, j, ldb, k, c, (i0 + 2) * n + j, n);
                }
                continue;
            }
            int r = 0;
            if (rows >= 2) { // two rows x 4 vectors: eight FMA chains in flight (the spiral's Xᵀ·dH is 2 rows)
                int j = 0;
                for (; j + 4 * L <= jv; j += 4 * L) {
                    tile2x4(a, r0, r0 + rs, step, b, j, ldb, k, c, i0 * n + j, n);
                }
                for (; j < jv; j += L) {
                    tile2x1(a, r0, r0 + rs, step, b, j, ldb, k, c, i0 * n + j, n);
                }
                r = 2;
            }
            for (; r < rows; r++) {
                int i = i0 + r;
                int ao = transA ? i : i * lda;
                int j = 0;
                for (; j + 4 * L <= jv; j += 4 * L) { // four column vectors at once: four FMA chains in flight
                    tile1x4(a, ao, step, b, j, ldb, k, c, i * n + j);
                }
                for (; j < jv; j += L) {
                    tile1x1(a, ao, step, b, j, ldb, k, c, i * n + j);
                }
            }
        }
        if (jv < n) {
            narrowColumns(a, lda, transA, b, ldb, c, m, n, k, jv);
        }
    }

    /** Up to this inner dimension, {@link #fewTerms} does the whole product. */
    private static final int FEW_TERMS = 3;

    /**
     * C = op(A)·B for k of 1 to {@value #FEW_TERMS} (the spiral's x·W1 with 2 features, dout·W2ᵀ with 3 classes):
     * row by row, each vector of C the k FMAs of its chain from zero and then stored. There is nothing to reuse in
     * registers, so this is a stream of stores; the register tiles only added overhead. Columns past the last full
     * vector are the same chains in scalars.
     */
    private static void fewTerms(double[] a, int lda, boolean transA, double[] b, int ldb, double[] c, int m, int n,
                                 int k) {
        int jv = SPECIES.loopBound(n);
        int ps = transA ? lda : 1;
        int p1 = k > 1 ? ps : 0; // offsets of the 2nd and 3rd terms (unused ones read the first, never added)
        int p2 = k > 2 ? 2 * ps : 0;
        DoubleVector zero = DoubleVector.zero(SPECIES);
        for (int i = 0; i < m; i++) {
            int ai = transA ? i : i * lda;
            int ci = i * n;
            double s0 = a[ai];
            double s1 = a[ai + p1];
            double s2 = a[ai + p2];
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, s0);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, s1);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, s2);
            int j = 0;
            for (; j < jv; j += L) {
                DoubleVector acc = a0.fma(DoubleVector.fromArray(SPECIES, b, j), zero);
                if (k > 1) {
                    acc = a1.fma(DoubleVector.fromArray(SPECIES, b, ldb + j), acc);
                }
                if (k > 2) {
                    acc = a2.fma(DoubleVector.fromArray(SPECIES, b, 2 * ldb + j), acc);
                }
                acc.intoArray(c, ci + j);
            }
            for (; j < n; j++) {
                double acc = Math.fma(s0, b[j], 0.0);
                if (k > 1) {
                    acc = Math.fma(s1, b[ldb + j], acc);
                }
                if (k > 2) {
                    acc = Math.fma(s2, b[2 * ldb + j], acc);
                }
                c[ci + j] = acc;
            }
        }
    }

    /**
     * The bulk of {@link #smallProduct}: blocks of 6 rows x 2 vectors of columns, 12 independent FMA chains (enough
     * to hide the FMA latency) and 8 loads per 12 FMAs, reading B in place (no packing). A block at least {@link
     * #PACK_TILES} tiles wide first copies its rows of A into one buffer, and then takes 8 rows when the vectors are
     * 512 bits wide ({@link #EIGHT_ROWS}). A convolution's products run here (W·X, X·doutᵀ, Wᵀ·dout). Each element
     * is still accumulated over k in order from zero, so the bits are those of the other loops. Returns the first row
     * it did not do.
     */
    private static int rowBlocks(double[] a, int lda, boolean transA, double[] b, int ldb, double[] c, int m,
                                 int n, int k, int jv) {
        int step = transA ? lda : 1;
        int rs = transA ? 1 : lda;
        boolean pack = jv >= PACK_TILES * 2 * L;
        double[] block = pack ? rowBuffer(8 * k) : null;
        int i0 = 0;
        if (pack && EIGHT_ROWS) {
            for (; i0 + 8 <= m; i0 += 8) {
                int r0 = transA ? i0 : i0 * lda;
                packRows(a, r0, rs, step, k, 8, block);
                int j = 0;
                for (; j + 2 * L <= jv; j += 2 * L) {
                    tile8x2(block, b, j, ldb, k, c, i0 * n + j, n);
                }
                for (; j < jv; j += L) {
                    tile6x1(a, r0, rs, step, b, j, ldb, k, c, i0 * n + j, n);
                    tile2x1(a, r0 + 6 * rs, r0 + 7 * rs, step, b, j, ldb, k, c, (i0 + 6) * n + j, n);
                }
            }
        }
        for (; i0 + 6 <= m; i0 += 6) {
            int r0 = transA ? i0 : i0 * lda;
            int j = 0;
            if (pack) {
                packRows(a, r0, rs, step, k, 6, block);
                for (; j + 2 * L <= jv; j += 2 * L) {
                    tile6x2(block, 0, b, j, ldb, k, c, i0 * n + j, n, false);
                }
            }
            for (; j + 2 * L <= jv; j += 2 * L) {
                tile6x2InPlace(a, r0, rs, step, b, j, ldb, k, c, i0 * n + j, n);
            }
            for (; j < jv; j += L) {
                tile6x1(a, r0, rs, step, b, j, ldb, k, c, i0 * n + j, n);
            }
        }
        return i0;
    }

    // The tiles are separate small methods: in one large method the JIT stops inlining the Vector API calls, which
    // then run as slow Java fallbacks. Row i of the tile starts at a[r0 + i·rs]; its k values are step apart.

    /** C[6 x 2L tile at o] = rows r0.. of op(A) · B[:, j .. j+2L). */
    private static void tile6x2InPlace(double[] a, int r0, int rs, int step, double[] b, int j, int ldb, int k,
                                double[] c, int o, int n) {
        int r1 = r0 + rs;
        int r2 = r1 + rs;
        int r3 = r2 + rs;
        int r4 = r3 + rs;
        int r5 = r4 + rs;
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        for (int p = 0, bo = j, ao = 0; p < k; p++, bo += ldb, ao += step) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bo + L);
            DoubleVector av = DoubleVector.broadcast(SPECIES, a[r0 + ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = DoubleVector.broadcast(SPECIES, a[r1 + ao]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = DoubleVector.broadcast(SPECIES, a[r2 + ao]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = DoubleVector.broadcast(SPECIES, a[r3 + ao]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = DoubleVector.broadcast(SPECIES, a[r4 + ao]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = DoubleVector.broadcast(SPECIES, a[r5 + ao]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c10.intoArray(c, o + n);
        c11.intoArray(c, o + n + L);
        c20.intoArray(c, o + 2 * n);
        c21.intoArray(c, o + 2 * n + L);
        c30.intoArray(c, o + 3 * n);
        c31.intoArray(c, o + 3 * n + L);
        c40.intoArray(c, o + 4 * n);
        c41.intoArray(c, o + 4 * n + L);
        c50.intoArray(c, o + 5 * n);
        c51.intoArray(c, o + 5 * n + L);
    }

    /**
     * From this many 6 x 2-vector tiles per row block on, the block's six rows are first copied into one p-major
     * buffer: the tile loop then reads A through one index instead of six row pointers, which left the JIT short of
     * registers and with six bounds tests per step (the products of a convolution's backward pass, 18 tiles wide,
     * ran 1.3-1.7x slower). The copy is paid once per block and shared by its tiles, which then run the packed
     * micro-kernel's own tile ({@link #tile6x2}, or {@link #tile8x2}) with B read in place.
     */
    private static final int PACK_TILES = 4;

    /**
     * With 512-bit vectors (32 registers) packed blocks take 8 rows: 16 accumulators + 2 B vectors + 1 broadcast fit,
     * and each p then loads 2 vectors and 8 scalars for 16 FMAs (6 rows: 2 and 6 for 12). With 16 registers an
     * 8-row tile would spill.
     */
    private static final boolean EIGHT_ROWS = L >= 8;

    /** Per thread: the rows of one block, p-major; grown as needed, kept from product to product. */
    private static final ThreadLocal<double[][]> BLOCK_ROWS = ThreadLocal.withInitial(() -> new double[1][0]);

    private static double[] rowBuffer(int size) {
        double[][] holder = BLOCK_ROWS.get();
        if (holder[0].length < size) {
            holder[0] = new double[size];
        }
        return holder[0];
    }

    /**
     * buf[rows·p + i] = op(A)[row i of the block][p] for i &lt; rows: row i starts at a[r0 + i·rs], its elements step
     * apart.
     */
    private static void packRows(double[] a, int r0, int rs, int step, int k, int rows, double[] buf) {
        if (rs == 1) { // Aᵀ: the values of one p are adjacent already
            for (int p = 0, ao = r0; p < k; p++, ao += step) {
                System.arraycopy(a, ao, buf, rows * p, rows);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int p = 0, ao = r0 + i * rs, o = i; p < k; p++, ao += step, o += rows) {
                buf[o] = a[ao];
            }
        }
    }

    /**
     * C[8 x 2L tile at o] = the packed block (8 rows, p-major) · B[:, j .. j+2L); see {@link #EIGHT_ROWS}. Written
     * out like {@link #tile6x2} rather than shared with it: each accumulator must be its own local for the JIT to
     * keep it in a register (an array of vectors is not).
     */
    private static void tile8x2(double[] pa, double[] b, int j, int ldb, int k, double[] c, int o, int n) {
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        DoubleVector c60 = c00;
        DoubleVector c61 = c00;
        DoubleVector c70 = c00;
        DoubleVector c71 = c00;
        for (int p = 0, bo = j, ao = 0; p < k; p++, bo += ldb, ao += 8) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bo + L);
            DoubleVector av = DoubleVector.broadcast(SPECIES, pa[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = DoubleVector.broadcast(SPECIES, pa[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c10.intoArray(c, o + n);
        c11.intoArray(c, o + n + L);
        c20.intoArray(c, o + 2 * n);
        c21.intoArray(c, o + 2 * n + L);
        c30.intoArray(c, o + 3 * n);
        c31.intoArray(c, o + 3 * n + L);
        c40.intoArray(c, o + 4 * n);
        c41.intoArray(c, o + 4 * n + L);
        c50.intoArray(c, o + 5 * n);
        c51.intoArray(c, o + 5 * n + L);
        c60.intoArray(c, o + 6 * n);
        c61.intoArray(c, o + 6 * n + L);
        c70.intoArray(c, o + 7 * n);
        c71.intoArray(c, o + 7 * n + L);
    }

    /** C[6 x L tile at o] = rows r0.. of op(A) · B[:, j .. j+L). */
    private static void tile6x1(double[] a, int r0, int rs, int step, double[] b, int j, int ldb, int k,
                                double[] c, int o, int n) {
        int r1 = r0 + rs;
        int r2 = r1 + rs;
        int r3 = r2 + rs;
        int r4 = r3 + rs;
        int r5 = r4 + rs;
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        DoubleVector c4 = c0;
        DoubleVector c5 = c0;
        for (int p = 0, bo = j, ao = 0; p < k; p++, bo += ldb, ao += step) {
            DoubleVector bv = DoubleVector.fromArray(SPECIES, b, bo);
            c0 = DoubleVector.broadcast(SPECIES, a[r0 + ao]).fma(bv, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[r1 + ao]).fma(bv, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[r2 + ao]).fma(bv, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[r3 + ao]).fma(bv, c3);
            c4 = DoubleVector.broadcast(SPECIES, a[r4 + ao]).fma(bv, c4);
            c5 = DoubleVector.broadcast(SPECIES, a[r5 + ao]).fma(bv, c5);
        }
        c0.intoArray(c, o);
        c1.intoArray(c, o + n);
        c2.intoArray(c, o + 2 * n);
        c3.intoArray(c, o + 3 * n);
        c4.intoArray(c, o + 4 * n);
        c5.intoArray(c, o + 5 * n);
    }

    /** C[2 x 4L tile at o] = rows a0, a1 of op(A) · B[:, j .. j+4L). */
    private static void tile2x4(double[] a, int a0, int a1, int step, double[] b, int j, int ldb, int k, double[] c,
                                int o, int n) {
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c01 = c00;
        DoubleVector c02 = c00;
        DoubleVector c03 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c12 = c00;
        DoubleVector c13 = c00;
        for (int p = 0, bo = j, ao = 0; p < k; p++, bo += ldb, ao += step) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bo + L);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bo + 2 * L);
            DoubleVector b3 = DoubleVector.fromArray(SPECIES, b, bo + 3 * L);
            DoubleVector av = DoubleVector.broadcast(SPECIES, a[a0 + ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = DoubleVector.broadcast(SPECIES, a[a1 + ao]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
        }
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c02.intoArray(c, o + 2 * L);
        c03.intoArray(c, o + 3 * L);
        c10.intoArray(c, o + n);
        c11.intoArray(c, o + n + L);
        c12.intoArray(c, o + n + 2 * L);
        c13.intoArray(c, o + n + 3 * L);
    }

    /** C[2 x L tile at o] = rows a0, a1 of op(A) · B[:, j .. j+L). */
    private static void tile2x1(double[] a, int a0, int a1, int step, double[] b, int j, int ldb, int k, double[] c,
                                int o, int n) {
        DoubleVector acc0 = DoubleVector.zero(SPECIES);
        DoubleVector acc1 = acc0;
        for (int p = 0, bo = j, aa = 0; p < k; p++, bo += ldb, aa += step) {
            DoubleVector bv = DoubleVector.fromArray(SPECIES, b, bo);
            acc0 = DoubleVector.broadcast(SPECIES, a[a0 + aa]).fma(bv, acc0);
            acc1 = DoubleVector.broadcast(SPECIES, a[a1 + aa]).fma(bv, acc1);
        }
        acc0.intoArray(c, o);
        acc1.intoArray(c, o + n);
    }

    /** C[1 x 4L tile at o] = the row of op(A) at a[ao], elements step apart, · B[:, j .. j+4L). */
    private static void tile1x4(double[] a, int ao, int step, double[] b, int j, int ldb, int k, double[] c, int o) {
        DoubleVector acc0 = DoubleVector.zero(SPECIES);
        DoubleVector acc1 = acc0;
        DoubleVector acc2 = acc0;
        DoubleVector acc3 = acc0;
        for (int p = 0, bo = j, aa = ao; p < k; p++, bo += ldb, aa += step) {
            DoubleVector av = DoubleVector.broadcast(SPECIES, a[aa]);
            acc0 = av.fma(DoubleVector.fromArray(SPECIES, b, bo), acc0);
            acc1 = av.fma(DoubleVector.fromArray(SPECIES, b, bo + L), acc1);
            acc2 = av.fma(DoubleVector.fromArray(SPECIES, b, bo + 2 * L), acc2);
            acc3 = av.fma(DoubleVector.fromArray(SPECIES, b, bo + 3 * L), acc3);
        }
        acc0.intoArray(c, o);
        acc1.intoArray(c, o + L);
        acc2.intoArray(c, o + 2 * L);
        acc3.intoArray(c, o + 3 * L);
    }

    /** C[1 x L tile at o] = the row of op(A) at a[ao], elements step apart, · B[:, j .. j+L). */
    private static void tile1x1(double[] a, int ao, int step, double[] b, int j, int ldb, int k, double[] c, int o) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        for (int p = 0, bo = j, aa = ao; p < k; p++, bo += ldb, aa += step) {
            acc = DoubleVector.broadcast(SPECIES, a[aa]).fma(DoubleVector.fromArray(SPECIES, b, bo), acc);
        }
        acc.intoArray(c, o);
    }

    /** C[4 x 3L tile at o] = rows r0.. of op(A) · B[:, j .. j+3L). */
    private static void tile4x3(double[] a, int r0, int rs, int step, double[] b, int j, int ldb, int k,
                                double[] c, int o, int n) {
        int r1 = r0 + rs;
        int r2 = r1 + rs;
        int r3 = r2 + rs;
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
        for (int p = 0, bo = j, ao = 0; p < k; p++, bo += ldb, ao += step) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bo + L);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bo + 2 * L);
            DoubleVector av = DoubleVector.broadcast(SPECIES, a[r0 + ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = DoubleVector.broadcast(SPECIES, a[r1 + ao]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = DoubleVector.broadcast(SPECIES, a[r2 + ao]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = DoubleVector.broadcast(SPECIES, a[r3 + ao]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
        }
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c02.intoArray(c, o + 2 * L);
        c10.intoArray(c, o + n);
        c11.intoArray(c, o + n + L);
        c12.intoArray(c, o + n + 2 * L);
        c20.intoArray(c, o + 2 * n);
        c21.intoArray(c, o + 2 * n + L);
        c22.intoArray(c, o + 2 * n + 2 * L);
        c30.intoArray(c, o + 3 * n);
        c31.intoArray(c, o + 3 * n + L);
        c32.intoArray(c, o + 3 * n + 2 * L);
    }

    /** Per thread: the last columns of B, padded to one vector per row (see {@link #narrowColumns}). */
    private static final ThreadLocal<double[][]> NARROW_B = ThreadLocal.withInitial(() -> new double[1][0]);

    /**
     * Columns [j0, n) of C = op(A)·B for the fewer than L columns a vector across columns cannot fill (e.g. the 3
     * class scores). Those columns of B are copied into rows of one vector each (k x L, the spare lanes unused), and
     * each row of C is one vector accumulator: acc += A[i][p] · B[p][j0..] for p in order, so every element is still
     * a sequential FMA chain over k from zero, bit for bit the scalar loop. Eight rows run at once (eight chains in
     * flight hide the FMA latency); per p that is one vector load of B, eight broadcasts of A and eight FMAs. (Lanes
     * across rows instead, gathering A, were twice as slow on AVX2.)
     */
    private static void narrowColumns(double[] a, int lda, boolean transA, double[] b, int ldb, double[] c, int m,
                                      int n, int k, int j0) {
        int w = n - j0;
        double[][] holder = NARROW_B.get();
        if (holder[0].length < k * L) {
            holder[0] = new double[k * L];
        }
        double[] bp = holder[0];
        for (int p = 0; p < k; p++) {
            System.arraycopy(b, p * ldb + j0, bp, p * L, w);
        }
        int rs = transA ? 1 : lda; // from row i to row i+1 of op(A)
        int ps = transA ? lda : 1; // from element p to p+1 of a row of op(A)
        double[] lanes = new double[8 * L];
        int i0 = transA ? transposedRows(a, lda, bp, c, m, n, k, j0) : 0;
        for (; i0 < m; i0 += 8) {
            int rows = Math.min(8, m - i0);
            eightRows(a, transA ? i0 : i0 * lda, rs, ps, bp, k, lanes, rows);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(lanes, r * L, c, (i0 + r) * n + j0, w);
            }
        }
    }

    /**
     * The narrow columns for op(A) = Aᵀ (a weight gradient xᵀ·dout with 3 classes, say): there the rows of C are
     * adjacent in A's storage, so lanes run across rows, and every lane is useful (across the few columns only w of L
     * were). Tiles of 4 vectors of rows x 3 columns: per p, four loads of A, three broadcasts of B and twelve FMAs.
     * Each element is still one FMA chain over p from zero, so the bits are those of the other loops. Returns the
     * first row it did not do.
     */
    private static int transposedRows(double[] a, int lda, double[] bp, double[] c, int m, int n, int k, int j0) {
        int w = n - j0;
        int rows = 4 * L;
        double[] lanes = new double[3 * rows];
        int i0 = 0;
        for (; i0 + rows <= m; i0 += rows) {
            for (int q = 0; q < w; q += 3) { // a group of fewer than 3 columns repeats its last one (not stored)
                rows4x3(a, lda, i0, bp, q, Math.min(q + 1, w - 1), Math.min(q + 2, w - 1), k, lanes);
                for (int t = 0; t < Math.min(3, w - q); t++) {
                    for (int r = 0, o = i0 * n + j0 + q + t; r < rows; r++, o += n) {
                        c[o] = lanes[t * rows + r];
                    }
                }
            }
        }
        return i0;
    }

    /** lanes[t·4L + r] = Σ_p A[p][i0 + r] · bp[p·L + q_t] for r &lt; 4L and the three columns q0, q1, q2. */
    private static void rows4x3(double[] a, int lda, int i0, double[] bp, int q0, int q1, int q2, int k,
                                double[] lanes) {
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c10 = c00;
        DoubleVector c20 = c00;
        DoubleVector c30 = c00;
        DoubleVector c01 = c00;
        DoubleVector c11 = c00;
        DoubleVector c21 = c00;
        DoubleVector c31 = c00;
        DoubleVector c02 = c00;
        DoubleVector c12 = c00;
        DoubleVector c22 = c00;
        DoubleVector c32 = c00;
        for (int p = 0, ao = i0, bo = 0; p < k; p++, ao += lda, bo += L) {
            DoubleVector a0 = DoubleVector.fromArray(SPECIES, a, ao);
            DoubleVector a1 = DoubleVector.fromArray(SPECIES, a, ao + L);
            DoubleVector a2 = DoubleVector.fromArray(SPECIES, a, ao + 2 * L);
            DoubleVector a3 = DoubleVector.fromArray(SPECIES, a, ao + 3 * L);
            DoubleVector bv = DoubleVector.broadcast(SPECIES, bp[bo + q0]);
            c00 = a0.fma(bv, c00);
            c10 = a1.fma(bv, c10);
            c20 = a2.fma(bv, c20);
            c30 = a3.fma(bv, c30);
            bv = DoubleVector.broadcast(SPECIES, bp[bo + q1]);
            c01 = a0.fma(bv, c01);
            c11 = a1.fma(bv, c11);
            c21 = a2.fma(bv, c21);
            c31 = a3.fma(bv, c31);
            bv = DoubleVector.broadcast(SPECIES, bp[bo + q2]);
            c02 = a0.fma(bv, c02);
            c12 = a1.fma(bv, c12);
            c22 = a2.fma(bv, c22);
            c32 = a3.fma(bv, c32);
        }
        int rows = 4 * L;
        c00.intoArray(lanes, 0);
        c10.intoArray(lanes, L);
        c20.intoArray(lanes, 2 * L);
        c30.intoArray(lanes, 3 * L);
        c01.intoArray(lanes, rows);
        c11.intoArray(lanes, rows + L);
        c21.intoArray(lanes, rows + 2 * L);
        c31.intoArray(lanes, rows + 3 * L);
        c02.intoArray(lanes, 2 * rows);
        c12.intoArray(lanes, 2 * rows + L);
        c22.intoArray(lanes, 2 * rows + 2 * L);
        c32.intoArray(lanes, 2 * rows + 3 * L);
    }

    /**
     * lanes[r*L ..] = Σ_p op(A)[row r][p] · bp[p*L ..] for eight rows starting at a[base], rows rs apart. With fewer
     * rows left, the last one is repeated in the spare chains (eight chains in flight, whatever is stored).
     */
    private static void eightRows(double[] a, int base, int rs, int ps, double[] bp, int k, double[] lanes,
                                  int rows) {
        DoubleVector x0 = DoubleVector.zero(SPECIES);
        DoubleVector x1 = x0;
        DoubleVector x2 = x0;
        DoubleVector x3 = x0;
        DoubleVector x4 = x0;
        DoubleVector x5 = x0;
        DoubleVector x6 = x0;
        DoubleVector x7 = x0;
        int last = rows - 1;
        int r1 = base + Math.min(1, last) * rs;
        int r2 = base + Math.min(2, last) * rs;
        int r3 = base + Math.min(3, last) * rs;
        int r4 = base + Math.min(4, last) * rs;
        int r5 = base + Math.min(5, last) * rs;
        int r6 = base + Math.min(6, last) * rs;
        int r7 = base + Math.min(7, last) * rs;
        for (int p = 0, ao = 0, bo = 0; p < k; p++, ao += ps, bo += L) {
            DoubleVector bv = DoubleVector.fromArray(SPECIES, bp, bo);
            x0 = DoubleVector.broadcast(SPECIES, a[base + ao]).fma(bv, x0);
            x1 = DoubleVector.broadcast(SPECIES, a[r1 + ao]).fma(bv, x1);
            x2 = DoubleVector.broadcast(SPECIES, a[r2 + ao]).fma(bv, x2);
            x3 = DoubleVector.broadcast(SPECIES, a[r3 + ao]).fma(bv, x3);
            x4 = DoubleVector.broadcast(SPECIES, a[r4 + ao]).fma(bv, x4);
            x5 = DoubleVector.broadcast(SPECIES, a[r5 + ao]).fma(bv, x5);
            x6 = DoubleVector.broadcast(SPECIES, a[r6 + ao]).fma(bv, x6);
            x7 = DoubleVector.broadcast(SPECIES, a[r7 + ao]).fma(bv, x7);
        }
        x0.intoArray(lanes, 0);
        x1.intoArray(lanes, L);
        x2.intoArray(lanes, 2 * L);
        x3.intoArray(lanes, 3 * L);
        x4.intoArray(lanes, 4 * L);
        x5.intoArray(lanes, 5 * L);
        x6.intoArray(lanes, 6 * L);
        x7.intoArray(lanes, 7 * L);
    }
}
