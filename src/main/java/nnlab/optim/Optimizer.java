package nnlab.optim;

import java.util.Map;
import nnlab.math.Matrix;

/** Updates parameters in place from their gradients; state (velocities, moments) is kept per parameter name. */
public interface Optimizer {
    /**
     * One update of every parameter in place from its gradient: {@code params} and {@code grads} are keyed by name
     * (e.g. {@code model.params()}, {@code model.grads()}), each gradient shaped like its parameter.
     *
     * @throws IllegalStateException when a parameter has no gradient (backward was not run)
     */
    void step(Map<String, Matrix> params, Map<String, Matrix> grads);

    /** The step size. */
    double learningRate();

    /** Forgets all state (moments, step counters). */
    default void reset() {
    }

    static Matrix gradientFor(String name, Map<String, Matrix> grads) {
        Matrix g = grads.get(name);
        if (g == null) {
            throw new IllegalStateException("no gradient for parameter '" + name + "' (have " + grads.keySet()
                    + "); run backward before step");
        }
        return g;
    }

    static void checkRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite value > 0, got " + lr);
        }
    }
}
