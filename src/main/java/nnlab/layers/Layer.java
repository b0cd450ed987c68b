package nnlab.layers;

import java.util.Map;
import java.util.Set;
import nnlab.math.Matrix;

/**
 * A layer of a network, and all a student implements to write one: {@code forward} computes the output and
 * remembers what {@code backward} needs; {@code backward} takes dLoss/dOutput, stores dLoss/dParameter for each
 * parameter and returns dLoss/dInput. Parameters and their gradients are exposed by name ({@code W1}, {@code b1},
 * ...).
 *
 * <p>Shapes: a batch is a matrix with one sample per row, so {@code forward} maps (N x D) to (N x M) and
 * {@code backward} maps dLoss/dOutput (N x M) to dLoss/dInput (N x D). A layer may keep references to the matrices it
 * receives (its cache) but must not modify them.
 *
 * <p>A layer written this way trains through {@code Trainer.fit} exactly as it is. (The library's own layers also
 * have a faster training path with reused buffers; it is internal to {@code nnlab.layers}, see
 * {@link TrainingPass}, and gives the same bits.)
 */
public interface Layer {
    /** The output for a batch x (N x D), usually (N x M); remembers what {@link #backward} needs. */
    Matrix forward(Matrix x);

    /**
     * dLoss/dInput (N x D) from dLoss/dOutput (N x M) of the last {@link #forward}; stores the parameters' gradients
     * for {@link #grads()}.
     */
    Matrix backward(Matrix dout);

    /** Parameters by name, in a stable order; the matrices are live (updating them updates the layer). */
    default Map<String, Matrix> params() {
        return Map.of();
    }

    /** Gradients from the last {@link #backward}, keyed like {@link #params()}, each shaped like its parameter. */
    default Map<String, Matrix> grads() {
        return Map.of();
    }

    /**
     * The names of the parameters that are weights, which a {@code Regularizer} penalises by default (it leaves the
     * others, such as biases, alone unless asked). Optional: a layer that does not override this declares every
     * parameter a weight, so nothing it has escapes the penalty whatever its names; override it to exclude biases,
     * e.g. {@code return Set.of("kernel");}. The library's {@link Dense} and {@link Conv2D} declare their W only.
     */
    default Set<String> weightNames() {
        return params().keySet();
    }

    /** A short description for summaries and error messages, e.g. {@code Dense1(2 -> 100)}. */
    String describe();
}
