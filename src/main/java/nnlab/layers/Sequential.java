package nnlab.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnlab.math.Matrix;

/**
 * Layers applied in order: {@code forward} maps a batch (N x D) through every layer, {@code backward} takes
 * dLoss/dScores (N x K) back through them. Parameters and gradients of all layers are addressable by their names.
 * Each layer object may appear only once (a layer caches its last input, so one instance cannot serve two
 * positions); nested {@code Sequential}s count as their layers.
 */
public final class Sequential implements Layer {
    private final List<Layer> layers;

    /** The layers in order; rejects a layer instance used twice and two parameters with the same name. */
    public Sequential(Layer... layers) {
        this.layers = List.of(layers);
        leaves(); // fails early on a layer instance used twice
        params(); // fails early on duplicate parameter names
    }

    /** The layers in order (unmodifiable). */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * The layers with nested Sequentials flattened, in order; rejects a layer instance that appears twice, naming
     * it and both positions.
     */
    List<Layer> leaves() {
        List<Layer> out = new ArrayList<>();
        Map<Layer, String> seen = new IdentityHashMap<>();
        collect(this, "", out, seen);
        return out;
    }

    private static void collect(Sequential s, String prefix, List<Layer> out, Map<Layer, String> seen) {
        for (int i = 0; i < s.layers.size(); i++) {
            Layer l = s.layers.get(i);
            String pos = prefix + i;
            String before = seen.put(l, pos);
            if (before != null) {
                throw new IllegalArgumentException("Sequential: the same " + l.describe() + " object is at "
                        + "positions " + before + " and " + pos + " (counting from 0); a layer remembers its last "
                        + "input for backward, so each position needs its own layer object: create another one "
                        + "(e.g. a second Activation.relu() or new Dense(...)) instead of reusing this one");
            }
            if (l instanceof Sequential inner) {
                collect(inner, pos + ".", out, seen);
            } else {
                out.add(l);
            }
        }
    }

    /** The scores (N x K) for a batch x (N x D): every layer's forward in order. */
    @Override
    public Matrix forward(Matrix x) {
        Matrix out = x;
        for (int i = 0; i < layers.size(); i++) {
            try {
                out = layers.get(i).forward(out);
            } catch (IllegalArgumentException e) {
                throw rejected(layers, i, out, e);
            }
        }
        return out;
    }

    /**
     * The error for layer i rejecting its input with e: names this layer, the one before and the shape it produced, so
     * a shape mismatch between consecutive layers is clear at the first forward call. An error already naming its
     * layer (from a nested Sequential) is kept as it is.
     */
    static IllegalArgumentException rejected(List<Layer> layers, int i, Matrix in, IllegalArgumentException e) {
        if (e instanceof LayerInputException) {
            return e;
        }
        String from = i == 0 ? "the input " + in.shapeString()
                : "the output " + in.shapeString() + " of layer " + (i - 1) + " " + layers.get(i - 1).describe();
        return new LayerInputException("layer " + i + " " + layers.get(i).describe() + " cannot take " + from
                + ": " + e.getMessage(), e);
    }

    /** A layer rejected its input; the message names both layers and the shape. */
    static final class LayerInputException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        LayerInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** dLoss/dInput (N x D) from dLoss/dScores (N x K), leaving every layer's parameter gradients in {@link #grads}. */
    @Override
    public Matrix backward(Matrix dout) {
        Matrix d = dout;
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backward(d);
        }
        return d;
    }

    /**
     * Class with the highest score for each row of x (N x D); returns N class indices. Needs at least two output
     * columns: for a model with a single output (a binary logit, a ±1 output) use the loss's rule,
     * {@code loss.predict(model.forward(x))}.
     *
     * @throws IllegalArgumentException when the model has one output column (the highest score would always be
     *     column 0)
     */
    public int[] predict(Matrix x) {
        Matrix scores = forward(x);
        if (scores.cols() == 1) {
            throw new IllegalArgumentException("predict: " + describe() + " has a single output column, so the "
                    + "highest score is always class 0; for a binary model use loss.predict(model.forward(x)) "
                    + "(BinaryCrossEntropy and PerceptronLoss: class 1 where the output is > 0)");
        }
        return scores.argmaxRows();
    }

    @Override
    public Map<String, Matrix> params() {
        Map<String, Matrix> all = new LinkedHashMap<>();
        for (Layer layer : layers) {
            for (Map.Entry<String, Matrix> e : layer.params().entrySet()) {
                if (all.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("Sequential: two layers have a parameter named '"
                            + e.getKey() + "'; give each Dense layer its own suffix (\"1\", \"2\", ...)");
                }
            }
        }
        return all;
    }

    @Override
    public Map<String, Matrix> grads() {
        Map<String, Matrix> all = new LinkedHashMap<>();
        for (Layer layer : layers) {
            all.putAll(layer.grads());
        }
        return all;
    }

    /** The weight parameters of every layer ({@link Layer#weightNames()}), in layer order. */
    @Override
    public Set<String> weightNames() {
        Set<String> all = new LinkedHashSet<>();
        for (Layer layer : layers) {
            all.addAll(layer.weightNames());
        }
        return all;
    }

    /** The parameter with this name, or an error listing the names there are. */
    public Matrix param(String name) {
        Matrix m = params().get(name);
        if (m == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; this model has "
                    + params().keySet());
        }
        return m;
    }

    @Override
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Layer l : layers) {
            parts.add(l.describe());
        }
        return String.join(" -> ", parts);
    }

    @Override
    public String toString() {
        return "Sequential[" + describe() + "]";
    }
}
