package nnlab.optim;

import java.util.Map;
import nnlab.math.Matrix;

/**
 * Plain gradient descent {@code θ ← θ - η·∇θ}. With the full data set per step it is batch gradient descent; with
 * mini-batches it is SGD (the training loop does the batching).
 */
public final class GradientDescent implements Optimizer {
    private final double lr;

    /** Plain gradient descent {@code p −= learningRate·g}. */
    public GradientDescent(double learningRate) {
        Optimizer.checkRate(learningRate);
        this.lr = learningRate;
    }

    @Override
    public void step(Map<String, Matrix> params, Map<String, Matrix> grads) {
        for (Map.Entry<String, Matrix> e : params.entrySet()) {
            e.getValue().addScaledInPlace(-lr, Optimizer.gradientFor(e.getKey(), grads));
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public String toString() {
        return "GradientDescent(lr=" + lr + ")";
    }
}
