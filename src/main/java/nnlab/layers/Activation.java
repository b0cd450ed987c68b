package nnlab.layers;

import nnlab.math.Matrix;

/** Element-wise activation layers without parameters: {@link #relu()}, {@link #sigmoid()}, {@link #tanh()}. */
public final class Activation implements Layer {
    private enum Kind { RELU, SIGMOID, TANH }

    private final Kind kind;
    private Matrix cache;
    private Matrix outBuffer;
    private Matrix dxBuffer;

    private Activation(Kind kind) {
        this.kind = kind;
    }

    public static Activation relu() {
        return new Activation(Kind.RELU);
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH);
    }

    @Override
    public Matrix forward(Matrix x) {
        Layers.Forward<Matrix> f = switch (kind) {
            case RELU -> Layers.reluForward(x);
            case SIGMOID -> Layers.sigmoidForward(x);
            case TANH -> Layers.tanhForward(x);
        };
        cache = f.cache();
        return f.out();
    }

    @Override
    public Matrix forwardReusing(Matrix x) {
        outBuffer = Matrix.reuse(outBuffer, x.rows(), x.cols());
        switch (kind) {
            case RELU -> x.maximumInto(0.0, outBuffer);
            case SIGMOID -> x.sigmoidInto(outBuffer);
            case TANH -> x.tanhInto(outBuffer);
        }
        // ReLU's backward needs its input (a reused buffer of the layer before, valid until the next step);
        // sigmoid and tanh need their output.
        cache = kind == Kind.RELU ? x : outBuffer;
        return outBuffer;
    }

    @Override
    public Matrix backwardReusing(Matrix dout, boolean inputGradient) {
        if (cache == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (!inputGradient) {
            return null;
        }
        dxBuffer = Matrix.reuse(dxBuffer, dout.rows(), dout.cols());
        return switch (kind) {
            case RELU -> Layers.reluBackwardInto(dout, cache, dxBuffer);
            case SIGMOID -> Layers.sigmoidBackwardInto(dout, cache, dxBuffer);
            case TANH -> Layers.tanhBackwardInto(dout, cache, dxBuffer);
        };
    }

    @Override
    public Matrix backward(Matrix dout) {
        if (cache == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        return switch (kind) {
            case RELU -> Layers.reluBackward(dout, cache);
            case SIGMOID -> Layers.sigmoidBackward(dout, cache);
            case TANH -> Layers.tanhBackward(dout, cache);
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
