package nnlab.layers;

import nnlab.math.Matrix;

/** Element-wise activation layers without parameters: {@link #relu()}, {@link #sigmoid()}, {@link #tanh()}. */
public final class Activation implements Layer {
    private enum Kind { RELU, SIGMOID, TANH }

    private final Kind kind;
    private Matrix cache;

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
