package nnlab.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.math.Matrix;

/** Layers applied in order. Parameters and gradients of all layers are addressable by their names. */
public final class Sequential implements Layer {
    private final List<Layer> layers;

    public Sequential(Layer... layers) {
        this.layers = List.of(layers);
        params(); // fails early on duplicate parameter names
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Matrix forward(Matrix x) {
        return throughLayers(x, Layer::forward);
    }

    private Matrix throughLayers(Matrix x, java.util.function.BiFunction<Layer, Matrix, Matrix> step) {
        Matrix out = x;
        for (Layer layer : layers) {
            out = step.apply(layer, out);
        }
        return out;
    }

    @Override
    public Matrix backward(Matrix dout) {
        Matrix d = dout;
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backward(d);
        }
        return d;
    }

    @Override
    public Matrix forwardReusing(Matrix x, boolean inputIsScratch) {
        Matrix out = x;
        for (int i = 0; i < layers.size(); i++) {
            // Only the first layer sees the caller's data; every later input is a buffer of the layer before.
            out = layers.get(i).forwardReusing(out, i > 0 || inputIsScratch);
        }
        return out;
    }

    @Override
    public Matrix backwardReusing(Matrix dout, boolean inputGradient) {
        Matrix d = dout;
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backwardReusing(d, i > 0 || inputGradient);
        }
        return d;
    }

    /** Class with the highest score for each row of x. */
    public int[] predict(Matrix x) {
        return forward(x).argmaxRows();
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
