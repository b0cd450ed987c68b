package nnlab.layers;

import nnlab.math.Matrix;

/**
 * The training fast path of the library's own layers; internal to {@code nnlab.layers} (package-private, so a
 * student's layer never sees it and {@link Layer} stays forward, backward, params, grads, describe). Only
 * {@link TrainingPass} (used by {@code Trainer.fit} and {@code GradCheck.of(model, ...)}) calls these methods; a layer
 * that does not implement this interface (a user's layer) runs its plain {@code forward}/{@code backward} there.
 *
 * <h2>Contract (for every implementation, e.g. Dense, Activation, and the convolution layers)</h2>
 * <ul>
 *   <li><b>Same bits.</b> {@link #forwardFast} and {@link #backwardFast} compute exactly what {@code forward} and
 *   {@code backward} compute (same operations in the same order), so {@code fit} equals the plain path bit for bit;
 *   the property test {@code FastPathPropertyTest} checks this for every layer kind registered there (add yours).</li>
 *   <li><b>Buffers.</b> Results may be written into buffers the layer keeps and reuses on the next call; they are valid
 *   until the layer's next fast call. The gradients {@link Layer#grads()} returns may be such buffers too.</li>
 *   <li><b>Overwriting inputs.</b> A layer may overwrite its input x only when {@code inputFree} is true, and dout only
 *   when {@code doutFree} is true. {@link TrainingPass} passes true only for a buffer that the layer before (after,
 *   for dout) declared free through {@link #outputFree()} / {@link #inputGradientFree()}: never the caller's data,
 *   never the loss's gradient, never the result of a user's layer.</li>
 *   <li><b>Declaring free.</b> {@link #outputFree()} may return true only if the matrix {@code forwardFast} returns is
 *   a buffer owned by this layer, is not its input, and is not read by this layer's {@code backwardFast} (Dense: its
 *   output is not in its cache). A layer that caches its own output (activations: σ' = σ(1-σ)) returns false, so
 *   the next layer cannot overwrite it (stacked activations stay right). Likewise {@link #inputGradientFree()} for
 *   the matrix {@code backwardFast} returns.</li>
 *   <li><b>Skipping work.</b> When {@code inputGradient} is false (the first layer of the network) dLoss/dInput is
 *   not needed; the layer may skip it and return null, but must still compute its parameters' gradients.</li>
 * </ul>
 */
interface FastLayer extends Layer {
    /**
     * {@link #forward} into reused buffers; x (N x D) may be overwritten only if {@code inputFree}. Same bits as
     * {@code forward}.
     */
    Matrix forwardFast(Matrix x, boolean inputFree);

    /**
     * {@link #backward} into reused buffers; dout may be overwritten only if {@code doutFree}; returns null when
     * {@code inputGradient} is false and the input gradient was skipped. Same bits as {@code backward}.
     */
    Matrix backwardFast(Matrix dout, boolean doutFree, boolean inputGradient);

    /** True if the next layer may overwrite what {@link #forwardFast} returned (see the contract above). */
    boolean outputFree();

    /** True if the layer before may overwrite what {@link #backwardFast} returned. */
    boolean inputGradientFree();
}
