package nnlab.layers;

import nnlab.math.Matrix;

/**
 * Softmax over each row as a layer: {@code p_ij = exp(x_ij) / Σ_k exp(x_ik)} (N x K in, N x K out, rows summing to 1).
 *
 * <p>Backward, from the Jacobian {@code ∂p_ij/∂x_il = p_ij (δ_jl - p_il)}:
 * {@code dx_il = p_il (dout_il - Σ_j dout_ij p_ij)}.
 *
 * <p>The losses already contain a softmax ({@code SoftmaxCrossEntropy} takes raw scores), so this layer belongs in a
 * model only where the probabilities themselves are the output. Placed in front of such a loss it applies softmax
 * twice, which is what the notebook on the seed's MNIST network shows: the outputs fed to the loss are squeezed into
 * [0, 1], so the loss's own softmax can never become confident and its gradients shrink.
 */
public final class Softmax implements Layer {
    private Matrix probs;

    @Override
    public Matrix forward(Matrix x) {
        probs = x.softmaxRows();
        return probs;
    }

    @Override
    public Matrix backward(Matrix dout) {
        if (probs == null) {
            throw new IllegalStateException("Softmax: backward called before forward");
        }
        if (!dout.sameShape(probs)) {
            throw new IllegalArgumentException("Softmax.backward: dout is " + dout.shapeString() + " but the output was "
                    + probs.shapeString());
        }
        Matrix dot = dout.mul(probs).rowSums();             // Σ_j dout_ij p_ij, N x 1
        return dout.addColumn(dot.times(-1)).mul(probs);    // p_il (dout_il - Σ_j dout_ij p_ij)
    }

    @Override
    public String describe() {
        return "Softmax";
    }
}
