package nnlab.layers;

import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;

/** Parameter initializers of the exercises. Values are drawn row-major from the given stream, as numpy does. */
@FunctionalInterface
public interface Init {
    Matrix create(int rows, int cols, NumpyRandom rng);

    /** {@code scale · randn(rows, cols)}, e.g. cs231n's {@code 0.01 * np.random.randn(D, h)}. */
    static Init scaledNormal(double scale) {
        return (r, c, rng) -> rng.randn(r, c).timesInPlace(scale);
    }

    /** {@code np.random.normal(0, std, (rows, cols))}. */
    static Init normal(double std) {
        return (r, c, rng) -> rng.normal(0.0, std, r, c);
    }

    /** {@code np.random.uniform(-a, a, (rows, cols))}. */
    static Init uniform(double a) {
        return (r, c, rng) -> rng.uniform(-a, a, r, c);
    }

    /** All zeros (draws nothing from the stream). */
    static Init zeros() {
        return (r, c, rng) -> Matrix.zeros(r, c);
    }
}
