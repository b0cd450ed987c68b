package nnlab.layers;

import nnlab.math.Matrix;

/** Element-wise activation layers without parameters: {@link #relu()}, {@link #sigmoid()}, {@link #tanh()}. */
public final class Activation implements Layer {
    private enum Kind { RELU, SIGMOID, TANH }

    private final Kind kind;
    private Matrix cache;
    private Matrix outBuffer;

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
    public Matrix forwardReusing(Matrix x, boolean inputIsScratch) {
        // The output overwrites the input when that is the layer before's buffer (element by element, so safely).
        Matrix out = inputIsScratch ? x : (outBuffer = Matrix.reuse(outBuffer, x.rows(), x.cols()));
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
    public Matrix backwardReusing(Matrix dout, boolean inputGradient) {
        if (cache == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (!inputGradient) {
            return null;
        }
        return switch (kind) { // dout is scratch: the gradient overwrites it in place
            case RELU -> Layers.reluBackwardInto(dout, cache, dout);
            case SIGMOID -> Layers.sigmoidBackwardInto(dout, cache, dout);
            case TANH -> Layers.tanhBackwardInto(dout, cache, dout);
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
