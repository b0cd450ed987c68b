package nnlab.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import nnlab.math.Matrix;

/**
 * The parameters that {@link Dense} and {@link Conv2D} share: a weight matrix {@code W<suffix>} and a bias row
 * {@code b<suffix>} (1 × outputs), their gradients from the last backward, and which of the two is a weight (W; the
 * bias is not), so that a regularizer knows what to penalise without guessing from names.
 */
final class WeightAndBias {
    final Matrix W;
    final Matrix b;
    private final String weightName;
    private final String biasName;
    /** dLoss/dW and dLoss/db of the last backward, or null before the first. */
    Matrix dW;
    Matrix db;

    WeightAndBias(String suffix, Matrix W, Matrix b) {
        this.W = W;
        this.b = b;
        this.weightName = "W" + suffix;
        this.biasName = "b" + suffix;
    }

    /** W then b, live. */
    Map<String, Matrix> params() {
        Map<String, Matrix> m = new LinkedHashMap<>();
        m.put(weightName, W);
        m.put(biasName, b);
        return m;
    }

    /** dW then db after a backward, empty before. */
    Map<String, Matrix> grads() {
        Map<String, Matrix> m = new LinkedHashMap<>();
        if (dW != null) {
            m.put(weightName, dW);
            m.put(biasName, db);
        }
        return m;
    }

    /** Only the weight; the bias is not a weight. */
    Set<String> weightNames() {
        return Set.of(weightName);
    }
}
