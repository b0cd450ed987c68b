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
