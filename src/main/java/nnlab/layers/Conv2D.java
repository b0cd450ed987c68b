package nnlab.layers;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import nnlab.math.MatMul;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.math.Parallel;
import nnlab.math.Runs;

/**
 * A 2-D convolution (cross-correlation, as in every deep-learning library) of a batch of images.
 *
 * <p>Shapes: input (N, C, H, W), output (N, F, H', W') with {@code H' = (H + 2·pad − k) / stride + 1} (same for
 * W'); weights W (F, C, k, k) stored as an F × C·k·k matrix (row f is filter f, its columns in (c, u, v) order, the
 * layout of PyTorch's {@code weight.reshape(F, -1)}), bias b (1 × F). A batch is an N × C·H·W matrix, see
 * {@link ImageShape}. With x zero-padded by {@code pad} on every side:
 *
 * <pre>
 *   out[n, f, i, j] = b[f] + Σ_{c,u,v} W[f, c, u, v] · x[n, c, i·stride + u, j·stride + v]
 * </pre>
 *
 * <p>Lowering onto a matrix product ("im2col"): for image n, the column matrix X_n (C·k·k × H'·W') holds in
 * column (i, j) the C×k×k patch that output pixel (i, j) sees (zeros where it hangs over the padding); its row
 * (c, u, v) is channel c of the image shifted by (u, v). Then the convolution is one product whose result is
 * already the image's (F, H', W') layout, {@code out_n = W · X_n + b} (F × H'·W'), and backward is
 *
 * <pre>
 *   dW   = Σ_n dout_n · X_nᵀ             (F × C·k·k; dout_n is image n's gradient as F × H'·W'),
 *                                         computed as its transpose X_n · dout_nᵀ
 *   db   = Σ_n Σ_{i,j} dout_n[:, (i,j)]   (1 × F)
 *   dX_n = Wᵀ · dout_n                    (C·k·k × H'·W'), and dx_n = col2im(dX_n): every entry adds its
 *                                         gradient back onto the pixel it was copied from
 * </pre>
 *
 * <p>Memory and speed: images are processed in small groups (a fixed number of images per group, chosen from the
 * shapes so that a group's column matrix stays near 512 KB; the group's images sit side by side in its columns),
 * spread over the cores by {@link Parallel}. The buffers belong to the layer and are reused from call to call:
 * their size depends on the group, not on the batch or data set size. Backward rebuilds each group's columns from
 * the cached input instead of keeping them. With rows laid out this way, im2col and col2im move whole rows of
 * pixels at a time. Every product accumulates each element over its inner dimension in order, so the bits are those
 * of the patch-per-row lowering, and col2im adds each pixel's terms in the order of the output pixels. The weight
 * gradient is summed group by group in a fixed order, so results do not depend on the number of threads.
 *
 * <p>Parameters are named {@code W<suffix>} and {@code b<suffix>}, like {@link Dense}.
 */
public final class Conv2D implements FastLayer {
    /** About this many doubles of im2col columns per group of images. */
    private static final int GROUP_TARGET = 1 << 16;

    private final String suffix;
    private final ImageShape in;
    private final ImageShape out;
    private final int k;
    private final int stride;
    private final int pad;
    private final WeightAndBias wb;
    private final Matrix W;
    private final Matrix b;
    private final int group;
    private Matrix x;
    private Lane[] lanes = new Lane[0];
    private double[] partials = new double[0];
    // Buffers of the training fast path (forwardFast / backwardFast), kept from step to step.
    private Matrix outBuffer;
    private Matrix dxBuffer;
    private Matrix dWBuffer;
    private Matrix dbBuffer;

    /**
     * A convolution with the given parameters (used as they are, not copied): W (F × C·k·k) and b (1 × F).
     *
     * @throws IllegalArgumentException when the shapes of W and b do not match, or the kernel and stride do not
     *         tile the padded image (the message says which sizes would)
     */
    public Conv2D(String suffix, ImageShape in, int kernel, int stride, int padding, Matrix W, Matrix b) {
        this.suffix = suffix;
        this.in = in;
        this.k = kernel;
        this.stride = stride;
        this.pad = padding;
        if (kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException(name() + ": kernel and stride must be at least 1 and padding at least 0,"
                    + " got kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
        int fanIn = in.channels() * kernel * kernel;
        if (W.cols() != fanIn) {
            throw new IllegalArgumentException(name() + ": weights " + W.shapeString() + " must have C·k·k = "
                    + in.channels() + "·" + kernel + "·" + kernel + " = " + fanIn + " columns for input " + in);
        }
        if (b.rows() != 1 || b.cols() != W.rows()) {
            throw new IllegalArgumentException(name() + ": bias " + b.shapeString() + " must be (1x" + W.rows()
                    + ") to match weights " + W.shapeString());
        }
        this.wb = new WeightAndBias(suffix, W, b);
        this.W = W;
        this.b = b;
        int ho = outputSide("height", in.height());
        int wo = outputSide("width", in.width());
        this.out = new ImageShape(W.rows(), ho, wo);
        this.group = Math.max(1, GROUP_TARGET / (fanIn * out.plane()));
    }

    /** F filters of size k×k, weights and bias drawn by the given initializers (weights first). */
    public Conv2D(String suffix, ImageShape in, int filters, int kernel, int stride, int padding, Init weightInit,
                  Init biasInit, NumpyRandom rng) {
        this(suffix, in, kernel, stride, padding, weightInit.create(filters, in.channels() * kernel * kernel, rng),
                biasInit.create(1, filters, rng));
    }

    /**
     * F filters of size k×k with PyTorch's default initialization: weights and bias uniform in ±1/√(C·k·k), weights
     * drawn first, row-major (filter by filter).
     */
    public Conv2D(String suffix, ImageShape in, int filters, int kernel, int stride, int padding, NumpyRandom rng) {
        this(suffix, in, filters, kernel, stride, padding, Init.uniform(1 / Math.sqrt(in.channels() * kernel * kernel)),
                Init.uniform(1 / Math.sqrt(in.channels() * kernel * kernel)), rng);
    }

    private String name() {
        return "Conv2D" + suffix;
    }

    private int outputSide(String what, int size) {
        int span = size + 2 * pad - k;
        if (span >= 0 && span % stride == 0) {
            return span / stride + 1;
        }
        StringBuilder fit = new StringBuilder();
        if (span < 0) {
            fit.append(what).append(" ").append(k - 2 * pad).append(" or more");
        } else {
            int below = size - span % stride;
            int above = below + stride;
            if (below + 2 * pad >= k) {
                fit.append(what).append(" ").append(below).append(" or ");
            }
            fit.append(what).append(" ").append(above);
        }
        throw new IllegalArgumentException(name() + "(" + k + "x" + k + ", stride " + stride + ", padding " + pad
                + ") on input " + in + ": a " + what + " of " + size + " cannot be tiled: " + size + " + 2·" + pad
                + " − " + k + " = " + span + (span < 0 ? " is negative" : " is not a multiple of the stride " + stride)
                + "; " + fit + " would fit (or change the padding)");
    }

    /** The shape (C, H, W) of one input image. */
    public ImageShape inputShape() {
        return in;
    }

    /** The shape (F, H', W') of one output image. */
    public ImageShape outputShape() {
        return out;
    }

    /** Forward pass: x (N × C·H·W) to a new N × F·H'·W' matrix. */
    @Override
    public Matrix forward(Matrix x) {
        checkInput(x);
        Matrix y = new Matrix(x.rows(), out.size());
        convolve(x, y);
        this.x = x;
        return y;
    }

    @Override
    public Matrix forwardFast(Matrix x, boolean inputFree) {
        checkInput(x);
        outBuffer = Matrix.reuse(outBuffer, x.rows(), out.size());
        convolve(x, outBuffer); // every entry is written
        this.x = x;
        return outBuffer;
    }

    @Override
    public Matrix backwardFast(Matrix dout, boolean doutFree, boolean inputGradient) {
        return backward(dout, inputGradient, true);
    }

    /** The output buffer is not read by backward (which needs only the input). */
    @Override
    public boolean outputFree() {
        return true;
    }

    @Override
    public boolean inputGradientFree() {
        return true;
    }

    private void checkInput(Matrix x) {
        if (x.cols() != in.size()) {
            throw in.mismatch(describe(), x.rows(), x.cols());
        }
    }

    /** y = conv(x) + b, group by group. */
    private void convolve(Matrix x, Matrix y) {
        forEachGroup(x, (t, n0, g, l, columns) -> {
            Matrix prod = l.perFilter(g);
            MatMul.multiplyInto(W, false, columns, false, prod);                 // W · X  (F × g·H'W')
            addBias(prod.data(), g, y.data(), n0);
        });
    }

    /** Backward pass: stores dW (F × C·k·k) and db (1 × F), returns dx (N × C·H·W). */
    @Override
    public Matrix backward(Matrix dout) {
        return backward(dout, true, false);
    }

    /** The backward pass; with {@code reuse}, into the fast path's buffers (same arithmetic). */
    private Matrix backward(Matrix dout, boolean inputGradient, boolean reuse) {
        if (x == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (dout.rows() != x.rows() || dout.cols() != out.size()) {
            throw new IllegalArgumentException(describe() + ": dout " + dout.shapeString() + " should be ("
                    + x.rows() + "x" + out.size() + "), the shape of the last forward's output");
        }
        int n = x.rows();
        int f = out.channels();
        int kk = W.cols();
        int per = f * kk + f; // one group's dW then db
        int tasks = groups(n);
        if (partials.length < tasks * per) {
            partials = new double[tasks * per];
        }
        Matrix dx = !inputGradient ? null
                : reuse ? (dxBuffer = Matrix.reuse(dxBuffer, n, in.size())) : new Matrix(n, in.size());
        forEachGroup(x, (t, n0, g, l, columns) -> {
            Matrix doutT = l.perPixel(g);
            gatherPerPixel(dout.data(), n0, g, doutT.data());                  // g·H'W' × F
            MatMul.multiplyInto(columns, false, doutT, false, l.dWT);           // X · doutᵀ = dWᵀ  (C·k·k × F)
            double[] dwt = l.dWT.data();
            for (int o = 0, d = t * per; o < f; o++) {
                for (int q = 0; q < kk; q++) {
                    partials[d++] = dwt[q * f + o];
                }
            }
            doutT.colSumsInto(l.db);                                            // Σ over the group's pixels
            System.arraycopy(l.db.data(), 0, partials, t * per + f * kk, f);
            if (dx != null) {
                Matrix dprod = l.perFilter(g);
                gatherPerFilter(dout.data(), n0, g, dprod.data());              // F × g·H'W'
                Matrix dcolumns = columns;                                      // X is no longer needed
                MatMul.multiplyInto(W, true, dprod, false, dcolumns);           // Wᵀ · dout  (C·k·k × g·H'W')
                col2im(dcolumns.data(), n0, g, dx.data(), l.paddedGradient);    // overwrites the group's dx
            }
        });
        Matrix dW;
        Matrix db;
        if (reuse) {
            dW = (dWBuffer = Matrix.reuse(dWBuffer, f, kk)).fillInPlace(0.0);
            db = (dbBuffer = Matrix.reuse(dbBuffer, 1, f)).fillInPlace(0.0);
        } else {
            dW = new Matrix(f, kk);
            db = new Matrix(1, f);
        }
        wb.dW = dW;
        wb.db = db;
        double[] w = dW.data();
        double[] bb = db.data();
        for (int t = 0; t < tasks; t++) {                                        // in group order: thread-independent
            int base = t * per;
            for (int q = 0; q < f * kk; q++) {
                w[q] += partials[base + q];
            }
            for (int o = 0; o < f; o++) {
                bb[o] += partials[base + f * kk + o];
            }
        }
        return dx;
    }

    /** How many groups of at most {@code group} images a batch of n images makes. */
    private int groups(int n) {
        return (n + group - 1) / group;
    }

    /** One group's work: its index t, its first image n0 and size g, its lane's scratch, and its columns X. */
    @FunctionalInterface
    private interface GroupTask {
        void run(int t, int n0, int g, Lane lane, Matrix columns);
    }

    /**
     * Runs {@code body} for every group of images of x, spread over the cores by {@link Parallel}, with the group's
     * column matrix X (C·k·k × g·H'W', in its lane's buffer) already filled by {@link #im2col}. The forward and
     * backward passes share this loop.
     */
    private void forEachGroup(Matrix x, GroupTask body) {
        int n = x.rows();
        int tasks = groups(n);
        prepareLanes(tasks);
        Parallel.forEach(tasks, (t, lane) -> {
            int n0 = t * group;
            int g = Math.min(group, n - n0);
            Lane l = lanes[lane];
            Matrix columns = l.columns(g);
            im2col(x.data(), n0, g, columns.data(), l.padded);
            body.run(t, n0, g, l, columns);
        });
    }

    private void prepareLanes(int tasks) {
        int need = Parallel.lanes(tasks);
        if (lanes.length < need) {
            Lane[] more = Arrays.copyOf(lanes, need);
            for (int i = lanes.length; i < need; i++) {
                more[i] = new Lane();
            }
            lanes = more;
        }
    }

    /** Scratch of one lane: columns, per-filter and per-pixel results of a full group, and of a last, smaller one. */
    private final class Lane {
        private final Matrix[] columns = new Matrix[2];
        private final Matrix[] perFilter = new Matrix[2];
        private final Matrix[] perPixel = new Matrix[2];
        /** The group's weight gradient, transposed (C·k·k × F). */
        private final Matrix dWT = new Matrix(W.cols(), W.rows());
        /** The group's bias gradient (1 × F): sums down doutᵀ, all F sums in flight at once. */
        private final Matrix db = new Matrix(1, W.rows());
        /** One image with a zero border of {@code pad} pixels: im2col writes only the interior. */
        private final double[] padded = new double[in.channels() * (in.height() + 2 * pad) * (in.width() + 2 * pad)];
        /** col2im's sums for one image, border included (cleared per image). */
        private final double[] paddedGradient = new double[padded.length];

        /** X (C·k·k × g·H'W'). */
        Matrix columns(int g) {
            int i = g == group ? 0 : 1;
            return columns[i] = Matrix.reuse(columns[i], W.cols(), g * out.plane());
        }

        /** The outputs, or their gradients, filter by filter (F × g·H'W'). */
        Matrix perFilter(int g) {
            int i = g == group ? 0 : 1;
            return perFilter[i] = Matrix.reuse(perFilter[i], out.channels(), g * out.plane());
        }

        /** The output gradients pixel by pixel (g·H'W' × F). */
        Matrix perPixel(int g) {
            int i = g == group ? 0 : 1;
            return perPixel[i] = Matrix.reuse(perPixel[i], g * out.plane(), out.channels());
        }
    }

    /**
     * X (C·k·k × g·H'W') for images n0 .. n0+g−1 of x: row (c, u, v), column (image, i, j) holds
     * x[n, c, i·stride + u − pad, j·stride + v − pad], or 0 in the padding. Each image is first copied into the
     * lane's zero-bordered image (so no entry needs a bounds test); then every row of output pixels of a row of X is
     * one run of the padded image (a plain copy when the stride is 1).
     */
    private void im2col(double[] x, int n0, int g, double[] cols, double[] padded) {
        int c = in.channels();
        int hp = in.height() + 2 * pad;
        int wp = in.width() + 2 * pad;
        int ho = out.height();
        int wo = out.width();
        int len = g * out.plane();
        for (int gi = 0; gi < g; gi++) {
            pad(x, (n0 + gi) * in.size(), padded);
            for (int ch = 0, row = 0; ch < c; ch++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++, row++) {
                        int d = row * len + gi * out.plane();
                        for (int i = 0; i < ho; i++, d += wo) {
                            int src = (ch * hp + i * stride + u) * wp + v;
                            if (stride == 1) {
                                System.arraycopy(padded, src, cols, d, wo);
                            } else {
                                for (int j = 0; j < wo; j++) {
                                    cols[d + j] = padded[src + j * stride];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Copies image x[base ..] (C × H × W) into the interior of the zero-bordered C × (H+2·pad) × (W+2·pad) image. */
    private void pad(double[] x, int base, double[] padded) {
        int h = in.height();
        int w = in.width();
        int hp = h + 2 * pad;
        int wp = w + 2 * pad;
        for (int ch = 0; ch < in.channels(); ch++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(x, base + (ch * h + r) * w, padded, (ch * hp + r + pad) * wp + pad, w);
            }
        }
    }

    /**
     * The reverse of {@link #im2col}: dx[image, c, pixel] = Σ of dX over every entry copied from it, summed in the
     * zero-bordered image, whose interior then is the image's gradient; what lands in the border belongs to the
     * padding and is dropped. The kernel offsets (u, v) run backwards, so that each pixel receives its terms in the
     * order of the output pixels (i, j) they come from.
     */
    private void col2im(double[] dcols, int n0, int g, double[] dx, double[] padded) {
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        int hp = h + 2 * pad;
        int wp = w + 2 * pad;
        int ho = out.height();
        int wo = out.width();
        int len = g * out.plane();
        for (int gi = 0; gi < g; gi++) {
            Arrays.fill(padded, 0.0);
            for (int ch = 0; ch < c; ch++) {
                for (int u = k - 1; u >= 0; u--) {
                    for (int v = k - 1; v >= 0; v--) {
                        int s = ((ch * k + u) * k + v) * len + gi * out.plane();
                        for (int i = 0; i < ho; i++, s += wo) {
                            int dst = (ch * hp + i * stride + u) * wp + v;
                            if (stride == 1) {
                                Runs.addTo(dcols, s, padded, dst, wo);
                            } else {
                                for (int j = 0; j < wo; j++) {
                                    padded[dst + j * stride] += dcols[s + j];
                                }
                            }
                        }
                    }
                }
            }
            int base = (n0 + gi) * in.size();
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < h; r++) {
                    System.arraycopy(padded, (ch * hp + r + pad) * wp + pad, dx, base + (ch * h + r) * w, w);
                }
            }
        }
    }

    /** y[n0 + image, f, pixel] = prod[f, (image, pixel)] + b[f]. */
    private void addBias(double[] prod, int g, double[] y, int n0) {
        int f = out.channels();
        int plane = out.plane();
        int len = g * plane;
        double[] bias = b.data();
        for (int gi = 0; gi < g; gi++) {
            int yBase = (n0 + gi) * out.size();
            for (int o = 0; o < f; o++) {
                int src = o * len + gi * plane;
                int dst = yBase + o * plane;
                double bo = bias[o];
                for (int q = 0; q < plane; q++) {
                    y[dst + q] = prod[src + q] + bo;
                }
            }
        }
    }

    /** The gradient of a group filter by filter: dprod[f, (image, pixel)] = dout[n0 + image, f, pixel]. */
    private void gatherPerFilter(double[] dout, int n0, int g, double[] dprod) {
        int f = out.channels();
        int plane = out.plane();
        int len = g * plane;
        for (int gi = 0; gi < g; gi++) {
            int base = (n0 + gi) * out.size();
            for (int o = 0; o < f; o++) {
                System.arraycopy(dout, base + o * plane, dprod, o * len + gi * plane, plane);
            }
        }
    }

    /** The gradient of a group pixel by pixel: doutT[(image, pixel), f] = dout[n0 + image, f, pixel]. */
    private void gatherPerPixel(double[] dout, int n0, int g, double[] doutT) {
        int f = out.channels();
        int plane = out.plane();
        for (int gi = 0; gi < g; gi++) {
            int base = (n0 + gi) * out.size();
            for (int q = 0, r = gi * plane * f; q < plane; q++, r += f) {
                for (int o = 0, s = base + q; o < f; o++, s += plane) {
                    doutT[r + o] = dout[s];
                }
            }
        }
    }

    /** The weights W (F × C·k·k), live. */
    public Matrix W() {
        return W;
    }

    /** The bias b (1 × F), live. */
    public Matrix b() {
        return b;
    }

    @Override
    public Map<String, Matrix> params() {
        return wb.params();
    }

    @Override
    public Map<String, Matrix> grads() {
        return wb.grads();
    }

    /** {@code W<suffix>}: the bias is not a weight. */
    @Override
    public Set<String> weightNames() {
        return wb.weightNames();
    }

    /** e.g. {@code Conv2D1((1, 28, 28) -> (16, 28, 28), 3x3, stride 1, padding 1)}. */
    @Override
    public String describe() {
        return name() + "(" + in + " -> " + out + ", " + k + "x" + k + ", stride " + stride + ", padding " + pad + ")";
    }
}
