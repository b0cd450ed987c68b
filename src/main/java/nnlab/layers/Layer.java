package nnlab.layers;

import java.util.Map;
import nnlab.math.Matrix;

/**
 * A layer of a network: {@code forward} computes the output and remembers what {@code backward} needs;
 * {@code backward} takes dLoss/dOutput, stores dLoss/dParameter for each parameter and returns dLoss/dInput.
 * Parameters and their gradients are exposed by name ({@code W1}, {@code b1}, ...).
 */
public interface Layer {
    Matrix forward(Matrix x);

    Matrix backward(Matrix dout);

    /**
     * {@link #forward} for training loops: the layer may write its output into a buffer it keeps and reuses on the
     * next call, so the result is valid only until then. Same arithmetic as {@code forward}. The {@code Trainer}
     * uses this to avoid allocating fresh matrices on every step.
     */
    default Matrix forwardReusing(Matrix x) {
        return forwardReusing(x, false);
    }

    /**
     * {@link #forwardReusing(Matrix)} where {@code inputIsScratch} says that x is a buffer of the layer before (not the
     * caller's data), which an element-wise layer may overwrite with its output: fewer large buffers, so the working
     * set of a training step stays in the processor's cache.
     */
    default Matrix forwardReusing(Matrix x, boolean inputIsScratch) {
        return forward(x);
    }

    /**
     * {@link #backward} for training loops, with reused buffers like {@link #forwardReusing}; dout is scratch and may
     * be overwritten. When {@code inputGradient} is false (the first layer of a network) dLoss/dInput is not needed,
     * may be skipped, and null may be returned.
     */
    default Matrix backwardReusing(Matrix dout, boolean inputGradient) {
        return backward(dout);
    }

    /** Parameters by name, in a stable order; the matrices are live (updating them updates the layer). */
    default Map<String, Matrix> params() {
        return Map.of();
    }

    /** Gradients from the last {@link #backward}, keyed like {@link #params()}. */
    default Map<String, Matrix> grads() {
        return Map.of();
    }

    /** A short description for summaries, e.g. {@code Dense(2 -> 100)}. */
    String describe();
}
