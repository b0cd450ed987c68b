package nnlab.layers;

import java.util.List;
import nnlab.math.Matrix;

/**
 * The forward and backward pass of a {@link Sequential} as {@code Trainer.fit} and {@code GradCheck.of(model, ...)}
 * run it: the same arithmetic as {@code model.forward} / {@code model.backward}, bit for bit, but the library's own
 * layers write into buffers they reuse from step to step, element-wise layers overwrite buffers nobody reads again,
 * and the first layer's input gradient is skipped.
 *
 * <p>Which layers take the fast path is decided per layer: the library's layers implement an internal interface of
 * this package ({@code FastLayer}, whose Javadoc states the contract for new layers); any other layer, such as a
 * student's, runs its plain {@code forward}/{@code backward} here, and its inputs and outputs are never overwritten.
 * The caller's data and the loss's gradient are never overwritten either.
 *
 * <pre>{@code
 * TrainingPass pass = new TrainingPass(model);
 * Matrix scores = pass.forward(X);           // (N x K), valid until the next forward
 * pass.backward(loss.evaluate(scores, y).dscores());
 * model.grads();                             // as after model.backward
 * }</pre>
 */
public final class TrainingPass {
    private final Layer[] layers;
    private final FastLayer[] fast;
    private final List<Layer> leafList;

    /** A pass over the model's layers (nested Sequentials flattened). */
    public TrainingPass(Sequential model) {
        leafList = model.leaves();
        layers = leafList.toArray(new Layer[0]);
        fast = new FastLayer[layers.length];
        for (int i = 0; i < layers.length; i++) {
            fast[i] = layers[i] instanceof FastLayer f ? f : null;
        }
    }

    /** The scores (N x K) for x (N x D), as {@code model.forward(x)}; valid until the next call. x is not modified. */
    public Matrix forward(Matrix x) {
        Matrix out = x;
        boolean free = false; // the caller's data is never free
        for (int i = 0; i < layers.length; i++) {
            FastLayer f = fast[i];
            try {
                if (f != null) {
                    out = f.forwardFast(out, free);
                    free = f.outputFree();
                } else {
                    out = layers[i].forward(out);
                    free = false; // a user's layer may keep or pass on what it returns
                }
            } catch (IllegalArgumentException e) {
                throw Sequential.rejected(leafList, i, out, e);
            }
        }
        return out;
    }

    /**
     * The backward pass from dLoss/dScores (N x K, not modified), leaving every layer's parameter gradients in
     * {@code model.grads()}; dLoss/dInput of the first layer is not computed.
     */
    public void backward(Matrix dscores) {
        Matrix d = dscores;
        boolean free = false; // the loss's gradient is never free
        for (int i = layers.length - 1; i >= 0; i--) {
            FastLayer f = fast[i];
            if (f != null) {
                d = f.backwardFast(d, free, i > 0);
                free = f.inputGradientFree();
            } else {
                d = layers[i].backward(d);
                free = false;
            }
        }
    }
}
