package nnlab.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import nnlab.math.MatMul;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.math.Parallel;

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
 * <p>Lowering onto a matrix product ("im2col"): for image n, the column matrix col_n (C·k·k × H'·W') holds in
 * column (i, j) the k×k×C patch that output pixel (i, j) sees. Then the convolution is one product,
 * {@code out_n = W · col_n + b} (F × H'·W', already in the channel-major order of an output row), and backward is
 *
 * <pre>
 *   dW  = Σ_n dout_n · col_nᵀ          (F × C·k·k)
 *   db  = Σ_n Σ_{i,j} dout_n[:, (i,j)]  (1 × F)
 *   dcol_n = Wᵀ · dout_n                (C·k·k × H'·W'), and dx_n = col2im(dcol_n): every patch entry adds its
 *                                        gradient back onto the pixel it was copied from
 * </pre>
 *
 * <p>Memory and speed: images are processed in small groups (a fixed number of images per group, chosen from the
 * shapes so that a group's column matrix stays near 512 KB, in cache), spread over the cores by {@link Parallel}.
 * The column buffers belong to the layer and are reused from call to call: their size depends on the group, not
 * on the batch or data set size. Backward rebuilds each group's columns from the cached input instead of keeping
 * them. The weight gradient is summed group by group in a fixed order, so results do not depend on the number of
 * threads.
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
    private final Matrix W;
    private final Matrix b;
    private final int group;
    private Matrix dW;
    private Matrix db;
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
        int n = x.rows();
        int tasks = (n + group - 1) / group;
        prepareLanes(tasks);
        Parallel.forEach(tasks, (t, lane) -> {
            int n0 = t * group;
            int g = Math.min(group, n - n0);
            Lane l = lanes[lane];
            Matrix col = l.col(g);
            Matrix prod = l.prod(g);
            im2col(x.data(), n0, g, col.data());
            MatMul.multiplyInto(W, false, col, false, prod);                  // W · col  (F × g·H'W')
            scatterAddBias(prod.data(), g, y.data(), n0);
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
        int tasks = (n + group - 1) / group;
        prepareLanes(tasks);
        if (partials.length < tasks * per) {
            partials = new double[tasks * per];
        }
        Matrix dx = !inputGradient ? null
                : reuse ? (dxBuffer = Matrix.reuse(dxBuffer, n, in.size())) : new Matrix(n, in.size());
        Matrix input = x;
        Parallel.forEach(tasks, (t, lane) -> {
            int n0 = t * group;
            int g = Math.min(group, n - n0);
            Lane l = lanes[lane];
            Matrix col = l.col(g);
            Matrix dprod = l.prod(g);
            im2col(input.data(), n0, g, col.data());
            gather(dout.data(), n0, g, dprod.data());                            // dout of the group (F × g·H'W')
            MatMul.multiplyInto(dprod, false, col, true, l.dW);                  // dout · colᵀ
            System.arraycopy(l.dW.data(), 0, partials, t * per, f * kk);
            double[] dp = dprod.data();
            int len = g * out.plane();
            for (int o = 0; o < f; o++) {                                       // Σ over the group's pixels
                double s = 0;
                for (int q = o * len, e = q + len; q < e; q++) {
                    s += dp[q];
                }
                partials[t * per + f * kk + o] = s;
            }
            if (dx != null) {
                Matrix dcol = l.col(g);                                          // col is no longer needed
                MatMul.multiplyInto(W, true, dprod, false, dcol);                // Wᵀ · dout
                Arrays.fill(dx.data(), n0 * in.size(), (n0 + g) * in.size(), 0.0);
                col2im(dcol.data(), n0, g, dx.data());
            }
        });
        if (reuse) {
            dW = (dWBuffer = Matrix.reuse(dWBuffer, f, kk)).fillInPlace(0.0);
            db = (dbBuffer = Matrix.reuse(dbBuffer, 1, f)).fillInPlace(0.0);
        } else {
            dW = new Matrix(f, kk);
            db = new Matrix(1, f);
        }
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

    /** Scratch of one lane: columns and product of a full group, and of a last, smaller one. */
    private final class Lane {
        private Matrix col;
        private Matrix prod;
        private Matrix tailCol;
        private Matrix tailProd;
        private final Matrix dW = new Matrix(W.rows(), W.cols());

        Matrix col(int g) {
            if (g == group) {
                return col = Matrix.reuse(col, W.cols(), g * out.plane());
            }
            return tailCol = Matrix.reuse(tailCol, W.cols(), g * out.plane());
        }

        Matrix prod(int g) {
            if (g == group) {
                return prod = Matrix.reuse(prod, out.channels(), g * out.plane());
            }
            return tailProd = Matrix.reuse(tailProd, out.channels(), g * out.plane());
        }
    }

    /**
     * col (C·k·k × g·H'W') for images n0 .. n0+g−1 of x: row (c, u, v), column (image, i, j) holds
     * x[n, c, i·stride + u − pad, j·stride + v − pad], or 0 in the padding.
     */
    private void im2col(double[] x, int n0, int g, double[] col) {
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        int ho = out.height();
        int wo = out.width();
        int plane = out.plane();
        int len = g * plane;
        for (int gi = 0; gi < g; gi++) {
            int xBase = (n0 + gi) * in.size();
            for (int ch = 0; ch < c; ch++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        int row = ((ch * k + u) * k + v) * len + gi * plane;
                        // output columns j whose input column j·stride + v − pad lies inside the image
                        int j0 = Math.max(0, ceilDiv(pad - v, stride));
                        int j1 = Math.min(wo, ceilDiv(w + pad - v, stride));
                        for (int i = 0; i < ho; i++) {
                            int dst = row + i * wo;
                            int hi = i * stride + u - pad;
                            if (hi < 0 || hi >= h || j0 >= j1) {
                                Arrays.fill(col, dst, dst + wo, 0.0);
                                continue;
                            }
                            int src = xBase + (ch * h + hi) * w + v - pad;
                            Arrays.fill(col, dst, dst + j0, 0.0);
                            if (stride == 1) {
                                System.arraycopy(x, src + j0, col, dst + j0, j1 - j0);
                            } else {
                                for (int j = j0; j < j1; j++) {
                                    col[dst + j] = x[src + j * stride];
                                }
                            }
                            Arrays.fill(col, dst + j1, dst + wo, 0.0);
                        }
                    }
                }
            }
        }
    }

    /** The reverse of {@link #im2col}: dx[image, c, pixel] = Σ of dcol over every patch entry copied from it. */
    private void col2im(double[] dcol, int n0, int g, double[] dx) {
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        int ho = out.height();
        int wo = out.width();
        int plane = out.plane();
        int len = g * plane;
        for (int gi = 0; gi < g; gi++) {
            int xBase = (n0 + gi) * in.size();
            for (int ch = 0; ch < c; ch++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        int row = ((ch * k + u) * k + v) * len + gi * plane;
                        int j0 = Math.max(0, ceilDiv(pad - v, stride));
                        int j1 = Math.min(wo, ceilDiv(w + pad - v, stride));
                        for (int i = 0; i < ho; i++) {
                            int hi = i * stride + u - pad;
                            if (hi < 0 || hi >= h) {
                                continue;
                            }
                            int src = row + i * wo;
                            int dst = xBase + (ch * h + hi) * w + v - pad;
                            for (int j = j0; j < j1; j++) {
                                dx[dst + j * stride] += dcol[src + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** y[n0 + image, f, pixel] = prod[f, (image, pixel)] + b[f]. */
    private void scatterAddBias(double[] prod, int g, double[] y, int n0) {
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

    /** The inverse layout change of {@link #scatterAddBias} (without bias): dprod[f, (image, pixel)]. */
    private void gather(double[] dout, int n0, int g, double[] dprod) {
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

    public Matrix W() {
        return W;
    }

    public Matrix b() {
        return b;
    }

    @Override
    public Map<String, Matrix> params() {
        Map<String, Matrix> m = new LinkedHashMap<>();
        m.put("W" + suffix, W);
        m.put("b" + suffix, b);
        return m;
    }

    @Override
    public Map<String, Matrix> grads() {
        Map<String, Matrix> m = new LinkedHashMap<>();
        if (dW != null) {
            m.put("W" + suffix, dW);
            m.put("b" + suffix, db);
        }
        return m;
    }

    /** e.g. {@code Conv2D1((1, 28, 28) -> (16, 28, 28), 3x3, stride 1, padding 1)}. */
    @Override
    public String describe() {
        return name() + "(" + in + " -> " + out + ", " + k + "x" + k + ", stride " + stride + ", padding " + pad + ")";
    }
}
