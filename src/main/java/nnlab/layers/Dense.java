package nnlab.layers;

import java.util.Map;
import java.util.Set;
import nnlab.math.MatMul;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;

/**
 * A fully connected (affine) layer {@code out = x·W + b} with W (in x out) and b (1 x out). Its parameters are named
 * {@code W<suffix>} and {@code b<suffix>}, e.g. {@code W1}, {@code b1}.
 */
public final class Dense implements FastLayer {
    private final String suffix;
    private final WeightAndBias wb;
    private final Matrix W;
    private final Matrix b;
    private LayerFunctions.AffineCache cache;
    // Buffers of the training fast path (FastLayer, used by TrainingPass), kept from step to step.
    private Matrix outBuffer;
    private Matrix dxBuffer;
    private Matrix dWBuffer;
    private Matrix dbBuffer;

    /** A layer with the given parameters (used as they are, not copied). */
    public Dense(String suffix, Matrix W, Matrix b) {
        if (b.rows() != 1 || b.cols() != W.cols()) {
            throw new IllegalArgumentException("Dense: bias " + b.shapeString() + " must be (1x" + W.cols()
                    + ") to match weights " + W.shapeString());
        }
        this.suffix = suffix;
        this.wb = new WeightAndBias(suffix, W, b);
        this.W = W;
        this.b = b;
    }

    /** Weights drawn by {@code weightInit} from rng, zero bias. */
    public Dense(String suffix, int in, int out, Init weightInit, NumpyRandom rng) {
        this(suffix, weightInit.create(in, out, rng), Matrix.zeros(1, out));
    }

    /** Weights and bias both drawn from rng (weights first, as the exercises do). */
    public Dense(String suffix, int in, int out, Init weightInit, Init biasInit, NumpyRandom rng) {
        this(suffix, weightInit.create(in, out, rng), biasInit.create(1, out, rng));
    }

    @Override
    public Matrix forward(Matrix x) {
        checkInput(x);
        LayerFunctions.Forward<LayerFunctions.AffineCache> f = LayerFunctions.affineForward(x, W, b);
        cache = f.cache();
        return f.out();
    }

    private void checkInput(Matrix x) {
        if (x.cols() != W.rows()) {
            throw new IllegalArgumentException(describe() + ": input " + x.shapeString() + " has " + x.cols()
                    + " features but the layer expects " + W.rows() + ", i.e. an input (" + x.rows() + "x" + W.rows()
                    + "); Dense" + suffix + "(" + x.cols() + " -> " + W.cols() + ") would fit this input (after a"
                    + " Flatten, use its outputSize())");
        }
    }

    @Override
    public Matrix forwardFast(Matrix x, boolean inputFree) {
        checkInput(x);
        outBuffer = Matrix.reuse(outBuffer, x.rows(), W.cols());
        MatMul.multiplyInto(x, false, W, false, outBuffer).addRowInPlace(b);
        cache = new LayerFunctions.AffineCache(x, W, b);
        return outBuffer;
    }

    @Override
    public Matrix backwardFast(Matrix dout, boolean doutFree, boolean inputGradient) {
        if (cache == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dWBuffer = Matrix.reuse(dWBuffer, W.rows(), W.cols());
        dbBuffer = Matrix.reuse(dbBuffer, 1, W.cols());
        wb.dW = MatMul.multiplyInto(cache.x(), true, dout, false, dWBuffer);   // xᵀ·dout
        wb.db = dout.colSumsInto(dbBuffer);
        if (!inputGradient) {
            return null;
        }
        dxBuffer = Matrix.reuse(dxBuffer, dout.rows(), W.rows());
        return MatMul.multiplyInto(dout, false, W, true, dxBuffer);             // dout·Wᵀ
    }

    /** The output is a buffer of this layer that its backward does not read (it caches the input, not the output). */
    @Override
    public boolean outputFree() {
        return true;
    }

    /** dx is a buffer of this layer that nothing reads afterwards. */
    @Override
    public boolean inputGradientFree() {
        return true;
    }

    @Override
    public Matrix backward(Matrix dout) {
        if (cache == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        LayerFunctions.AffineGrads g = LayerFunctions.affineBackward(dout, cache);
        wb.dW = g.dW();
        wb.db = g.db();
        return g.dx();
    }

    /** The weights W (in × out), live. */
    public Matrix W() {
        return W;
    }

    /** The bias b (1 × out), live. */
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

    @Override
    public String describe() {
        return "Dense" + suffix + "(" + W.rows() + " -> " + W.cols() + ")";
    }
}
