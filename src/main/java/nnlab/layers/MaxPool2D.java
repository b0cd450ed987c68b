package nnlab.layers;

import nnlab.math.Matrix;
import nnlab.math.Parallel;

/**
 * Max pooling over size×size windows of each channel, moved by {@code stride} (by default the size: windows side by
 * side, as in the usual 2×2 pooling).
 *
 * <p>Shapes: input (N, C, H, W), output (N, C, H', W') with {@code H' = (H − size) / stride + 1}; the batch layout
 * is that of {@link ImageShape}. No parameters.
 *
 * <pre>
 *   out[n, c, i, j] = max_{u,v &lt; size} x[n, c, i·stride + u, j·stride + v]
 *   dx[n, c, p]     = Σ over the windows whose maximum is at pixel p of dout[n, c, i, j]
 * </pre>
 * The gradient of a maximum goes entirely to the entry that attained it (the first one, on a tie); forward keeps
 * the position of each window's maximum for backward.
 */
public final class MaxPool2D implements FastLayer {
    private static final int IMAGES_PER_TASK = 8;

    private final ImageShape in;
    private final ImageShape out;
    private final int size;
    private final int stride;
    /** For each output value of the last forward, the column of the input that held its maximum. */
    private int[] argmax = new int[0];
    private int rows = -1;
    // Buffers of the training fast path, kept from step to step.
    private Matrix outBuffer;
    private Matrix dxBuffer;

    /** Windows of size×size side by side (stride = size). */
    public MaxPool2D(ImageShape in, int size) {
        this(in, size, size);
    }

    /**
     * @throws IllegalArgumentException when the windows do not tile the image (the message says which sizes would)
     */
    public MaxPool2D(ImageShape in, int size, int stride) {
        if (size < 1 || stride < 1) {
            throw new IllegalArgumentException("MaxPool2D: size and stride must be at least 1, got size " + size
                    + ", stride " + stride);
        }
        this.in = in;
        this.size = size;
        this.stride = stride;
        this.out = new ImageShape(in.channels(), side("height", in.height()), side("width", in.width()));
    }

    private int side(String what, int n) {
        int span = n - size;
        if (span >= 0 && span % stride == 0) {
            return span / stride + 1;
        }
        String fit;
        if (span < 0) {
            fit = what + " " + size + " or more";
        } else {
            int below = n - span % stride;
            fit = what + " " + below + " or " + (below + stride);
        }
        throw new IllegalArgumentException(label() + " on input " + in + ": " + size + "x" + size
                + " windows with stride " + stride + " do not tile a " + what + " of " + n + " (" + n + " − " + size
                + " = " + span + (span < 0 ? " is negative" : " is not a multiple of " + stride) + "); " + fit
                + " would fit (pad or crop the layer before)");
    }

    private String label() {
        return "MaxPool2D(" + size + "x" + size + ", stride " + stride + ")";
    }

    /** The shape (C, H, W) of one input image. */
    public ImageShape inputShape() {
        return in;
    }

    /** The shape (C, H', W') of one output image. */
    public ImageShape outputShape() {
        return out;
    }

    /** x (N × C·H·W) to a new N × C·H'·W' matrix of window maxima. */
    @Override
    public Matrix forward(Matrix x) {
        if (x.cols() != in.size()) {
            throw in.mismatch(describe(), x.rows(), x.cols());
        }
        Matrix y = new Matrix(x.rows(), out.size());
        pool(x, y);
        return y;
    }

    @Override
    public Matrix forwardFast(Matrix x, boolean inputFree) {
        if (x.cols() != in.size()) {
            throw in.mismatch(describe(), x.rows(), x.cols());
        }
        outBuffer = Matrix.reuse(outBuffer, x.rows(), out.size());
        pool(x, outBuffer); // every entry is written
        return outBuffer;
    }

    @Override
    public Matrix backwardFast(Matrix dout, boolean doutFree, boolean inputGradient) {
        checkGradient(dout);
        if (!inputGradient) {
            return null;
        }
        dxBuffer = Matrix.reuse(dxBuffer, rows, in.size());
        return unpool(dout, dxBuffer);
    }

    /** Backward reads only the positions of the maxima, not the output. */
    @Override
    public boolean outputFree() {
        return true;
    }

    @Override
    public boolean inputGradientFree() {
        return true;
    }

    /** y = window maxima of x; remembers where they were. */
    private void pool(Matrix x, Matrix y) {
        int n = x.rows();
        if (argmax.length < n * out.size()) {
            argmax = new int[n * out.size()];
        }
        rows = n;
        double[] xd = x.data();
        double[] yd = y.data();
        int h = in.height();
        int w = in.width();
        int ho = out.height();
        int wo = out.width();
        Parallel.forEach((n + IMAGES_PER_TASK - 1) / IMAGES_PER_TASK, (t, lane) -> {
            for (int img = t * IMAGES_PER_TASK, end = Math.min(n, img + IMAGES_PER_TASK); img < end; img++) {
                int xBase = img * in.size();
                int yBase = img * out.size();
                for (int c = 0; c < in.channels(); c++) {
                    int plane = c * h * w;
                    if (size == 2) {
                        pool2x2(xd, xBase, plane, yd, yBase + c * ho * wo);
                        continue;
                    }
                    for (int i = 0; i < ho; i++) {
                        for (int j = 0; j < wo; j++) {
                            int best = plane + (i * stride) * w + j * stride;
                            double max = xd[xBase + best];
                            for (int u = 0; u < size; u++) {
                                int r = plane + (i * stride + u) * w + j * stride;
                                for (int v = 0; v < size; v++) {
                                    double val = xd[xBase + r + v];
                                    if (val > max) {
                                        max = val;
                                        best = r + v;
                                    }
                                }
                            }
                            int o = yBase + (c * ho + i) * wo + j;
                            yd[o] = max;
                            argmax[o] = best;
                        }
                    }
                }
            }
        });
    }

    /**
     * One channel plane of 2×2 windows, written out: the same comparisons in the same order as the general loop (a
     * later value wins only when strictly greater, so ties and NaN keep the first), as selects rather than branches,
     * which the data makes unpredictable.
     */
    private void pool2x2(double[] xd, int xBase, int plane, double[] yd, int yBase) {
        int w = in.width();
        int ho = out.height();
        int wo = out.width();
        for (int i = 0; i < ho; i++) {
            int o = yBase + i * wo;
            for (int j = 0, p = plane + i * stride * w; j < wo; j++, p += stride) {
                double a = xd[xBase + p];
                double b = xd[xBase + p + 1];
                double c = xd[xBase + p + w];
                double d = xd[xBase + p + w + 1];
                boolean gb = b > a;
                double max = gb ? b : a;
                int best = gb ? p + 1 : p;
                boolean gc = c > max;
                max = gc ? c : max;
                best = gc ? p + w : best;
                boolean gd = d > max;
                yd[o + j] = gd ? d : max;
                argmax[o + j] = gd ? p + w + 1 : best;
            }
        }
    }

    /** dout (N × C·H'·W') to dx (N × C·H·W): each window's gradient goes to the position of its maximum. */
    @Override
    public Matrix backward(Matrix dout) {
        checkGradient(dout);
        return unpool(dout, new Matrix(rows, in.size()));
    }

    private void checkGradient(Matrix dout) {
        if (rows < 0) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (dout.rows() != rows || dout.cols() != out.size()) {
            throw new IllegalArgumentException(describe() + ": dout " + dout.shapeString() + " should be (" + rows
                    + "x" + out.size() + "), the shape of the last forward's output");
        }
    }

    /** dx (overwritten) from dout: each window's gradient added at the position of its maximum. */
    private Matrix unpool(Matrix dout, Matrix dx) {
        int n = rows;
        double[] g = dout.data();
        double[] d = dx.data();
        int[] where = argmax;
        Parallel.forEach((n + IMAGES_PER_TASK - 1) / IMAGES_PER_TASK, (t, lane) -> {
            for (int img = t * IMAGES_PER_TASK, end = Math.min(n, img + IMAGES_PER_TASK); img < end; img++) {
                int xBase = img * in.size();
                java.util.Arrays.fill(d, xBase, xBase + in.size(), 0.0);
                for (int o = img * out.size(), e = o + out.size(); o < e; o++) {
                    d[xBase + where[o]] += g[o];
                }
            }
        });
        return dx;
    }

    /** e.g. {@code MaxPool2D(2x2, stride 2: (16, 28, 28) -> (16, 14, 14))}. */
    @Override
    public String describe() {
        return "MaxPool2D(" + size + "x" + size + ", stride " + stride + ": " + in + " -> " + out + ")";
    }
}
