package nnlab.layers;

import nnlab.math.Matrix;

/**
 * The functional, cs231n-style face of the layers: each forward returns its output and the cache its backward
 * needs; each backward takes the upstream gradient and that cache. The layer objects ({@link Dense}, {@link Activation},
 * ...) call exactly these functions, so both styles share one implementation. The {@code ...Into} variants write
 * into a result matrix the caller reuses (training loops), with the same arithmetic.
 *
 * <pre>{@code
 * var fc = LayerFunctions.affineForward(X, W1, b1);          // out = X·W1 + b1
 * var act = LayerFunctions.reluForward(fc.out());            // h = max(0, out)
 * Matrix dOut = LayerFunctions.reluBackward(dh, act.cache());
 * var g = LayerFunctions.affineBackward(dOut, fc.cache());   // g.dx(), g.dW(), g.db()
 * }</pre>
 */
public final class LayerFunctions {
    private LayerFunctions() {
    }

    /** A forward result: the output and what the backward pass will need. */
    public record Forward<C>(Matrix out, C cache) {
    }

    /** What {@link #affineForward} keeps for the backward pass. */
    public record AffineCache(Matrix x, Matrix W, Matrix b) {
    }

    /** Gradients of the loss with respect to the affine layer's input, weights and bias. */
    public record AffineGrads(Matrix dx, Matrix dW, Matrix db) {
    }

    /** {@code out = x·W + b}, with x (N x D), W (D x M), b (1 x M). */
    public static Forward<AffineCache> affineForward(Matrix x, Matrix W, Matrix b) {
        return new Forward<>(x.dot(W).addRowInPlace(b), new AffineCache(x, W, b)); // the product is a fresh temporary
    }

    /** {@code dx = dout·Wᵀ, dW = xᵀ·dout, db = Σ_rows dout}. */
    public static AffineGrads affineBackward(Matrix dout, AffineCache cache) {
        Matrix dx = dout.dot(cache.W().T());
        Matrix dW = cache.x().T().dot(dout);
        Matrix db = dout.colSums();
        return new AffineGrads(dx, dW, db);
    }

    /** {@code out = max(0, x)}; the cache is x. */
    public static Forward<Matrix> reluForward(Matrix x) {
        return new Forward<>(x.maximum(0.0), x);
    }

    /** {@code dx = dout where x > 0, else 0} (the ReLU "switch"). */
    public static Matrix reluBackward(Matrix dout, Matrix x) {
        return reluBackwardInto(dout, x, new Matrix(dout.rows(), dout.cols()));
    }

    /** {@link #reluBackward} written into dx (overwritten; may be dout itself); returns dx. */
    public static Matrix reluBackwardInto(Matrix dout, Matrix x, Matrix dx) {
        requireSameShape("reluBackward", dout, x);
        requireSameShape("reluBackward", dx, x);
        return dout.gatePositiveInto(x, dx);
    }

    /** {@code out = σ(x) = 1/(1+e^-x)}; the cache is the output, since σ' = σ(1-σ). */
    public static Forward<Matrix> sigmoidForward(Matrix x) {
        Matrix out = x.sigmoid();
        return new Forward<>(out, out);
    }

    /** {@code dx = dout · out · (1 - out)} where out is the sigmoid's output (not its input). */
    public static Matrix sigmoidBackward(Matrix dout, Matrix out) {
        return sigmoidBackwardInto(dout, out, new Matrix(dout.rows(), dout.cols()));
    }

    /** {@link #sigmoidBackward} written into dx (overwritten; may be dout itself); returns dx. */
    public static Matrix sigmoidBackwardInto(Matrix dout, Matrix out, Matrix dx) {
        requireSameShape("sigmoidBackward", dout, out);
        requireSameShape("sigmoidBackward", dx, out);
        double[] d = dx.data();
        double[] g = dout.data();
        double[] s = out.data();
        for (int k = 0; k < d.length; k++) {
            d[k] = g[k] * s[k] * (1.0 - s[k]);
        }
        return dx;
    }

    /** {@code out = tanh(x)}; the cache is the output, since tanh' = 1 - tanh². */
    public static Forward<Matrix> tanhForward(Matrix x) {
        Matrix out = x.tanh();
        return new Forward<>(out, out);
    }

    /** {@code dx = dout · (1 - out²)}. */
    public static Matrix tanhBackward(Matrix dout, Matrix out) {
        return tanhBackwardInto(dout, out, new Matrix(dout.rows(), dout.cols()));
    }

    /** {@link #tanhBackward} written into dx (overwritten; may be dout itself); returns dx. */
    public static Matrix tanhBackwardInto(Matrix dout, Matrix out, Matrix dx) {
        requireSameShape("tanhBackward", dout, out);
        requireSameShape("tanhBackward", dx, out);
        double[] d = dx.data();
        double[] g = dout.data();
        double[] t = out.data();
        for (int k = 0; k < d.length; k++) {
            d[k] = g[k] * (1.0 - t[k] * t[k]);
        }
        return dx;
    }

    static void requireSameShape(String op, Matrix dout, Matrix cached) {
        if (!dout.sameShape(cached)) {
            throw new IllegalArgumentException(op + ": upstream gradient " + dout.shapeString()
                    + " does not match the forward pass's " + cached.shapeString());
        }
    }
}
