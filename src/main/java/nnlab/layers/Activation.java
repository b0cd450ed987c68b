package nnlab.layers;

import nnlab.math.Matrix;

/** Element-wise activation layers without parameters: {@link #relu()}, {@link #sigmoid()}, {@link #tanh()}. */
public final class Activation implements FastLayer {
    private enum Kind { RELU, SIGMOID, TANH }

    private final Kind kind;
    private Matrix cache;
    private Matrix outBuffer;
    private Matrix dxBuffer;

    private Activation(Kind kind) {
        this.kind = kind;
    }

    /** ReLU, {@code max(0, x)} element-wise: maps N × D to N × D. */
    public static Activation relu() {
        return new Activation(Kind.RELU);
    }

    /** The logistic sigmoid {@code 1 / (1 + e^−x)} element-wise: maps N × D to N × D. */
    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID);
    }

    /** tanh element-wise: maps N × D to N × D. */
    public static Activation tanh() {
        return new Activation(Kind.TANH);
    }

    @Override
    public Matrix forward(Matrix x) {
        LayerFunctions.Forward<Matrix> f = switch (kind) {
            case RELU -> LayerFunctions.reluForward(x);
            case SIGMOID -> LayerFunctions.sigmoidForward(x);
            case TANH -> LayerFunctions.tanhForward(x);
        };
        cache = f.cache();
        return f.out();
    }

    @Override
    public Matrix forwardFast(Matrix x, boolean inputFree) {
        // The output overwrites the input only when the layer before declared it free (a buffer nobody reads again:
        // Dense's output); element by element, so safely. Never the caller's data or another activation's output.
        Matrix out = inputFree ? x : (outBuffer = Matrix.reuse(outBuffer, x.rows(), x.cols()));
        switch (kind) {
            case RELU -> x.maximumInto(0.0, out);
            case SIGMOID -> x.sigmoidInto(out);
            case TANH -> x.tanhInto(out);
        }
        // The backward passes need the output: σ' = σ(1-σ), tanh' = 1-tanh², and ReLU's switch, since
        // max(0, z) > 0 exactly where z > 0.
        cache = out;
        return out;
    }

    @Override
    public Matrix backwardFast(Matrix dout, boolean doutFree, boolean inputGradient) {
        if (cache == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (!inputGradient) {
            return null;
        }
        // When dout is free the gradient overwrites it in place, else it goes into this layer's own buffer.
        Matrix dx = doutFree ? dout : (dxBuffer = Matrix.reuse(dxBuffer, dout.rows(), dout.cols()));
        return switch (kind) {
            case RELU -> LayerFunctions.reluBackwardInto(dout, cache, dx);
            case SIGMOID -> LayerFunctions.sigmoidBackwardInto(dout, cache, dx);
            case TANH -> LayerFunctions.tanhBackwardInto(dout, cache, dx);
        };
    }

    /** False: the output is this layer's cache (its backward reads it), so the next layer must not overwrite it. */
    @Override
    public boolean outputFree() {
        return false;
    }

    /** True: dx is either this layer's own buffer or the free dout it was written over; nothing reads it again. */
    @Override
    public boolean inputGradientFree() {
        return true;
    }

    @Override
    public Matrix backward(Matrix dout) {
        if (cache == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        return switch (kind) {
            case RELU -> LayerFunctions.reluBackward(dout, cache);
            case SIGMOID -> LayerFunctions.sigmoidBackward(dout, cache);
            case TANH -> LayerFunctions.tanhBackward(dout, cache);
        };
    }

    @Override
    public String describe() {
        return switch (kind) {
            case RELU -> "ReLU";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
        };
    }
}
