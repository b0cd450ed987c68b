package nnlab.optim;

import java.util.HashMap;
import java.util.Map;
import nnlab.math.Matrix;

/** Gradient descent with momentum: {@code v ← μ·v - η·∇θ; θ ← θ + v}. */
public final class Momentum implements Optimizer {
    private final double lr;
    private final double mu;
    private final Map<String, Matrix> velocity = new HashMap<>();

    /** Gradient descent with momentum μ = {@code momentum}: {@code v = μ·v − learningRate·g; p += v}. */
    public Momentum(double learningRate, double momentum) {
        Optimizer.checkRate(learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.lr = learningRate;
        this.mu = momentum;
    }

    @Override
    public void step(Map<String, Matrix> params, Map<String, Matrix> grads) {
        for (Map.Entry<String, Matrix> e : params.entrySet()) {
            Matrix g = Optimizer.gradientFor(e.getKey(), grads);
            Matrix v = velocity.computeIfAbsent(e.getKey(), k -> Matrix.zeros(g.rows(), g.cols()));
            v.timesInPlace(mu).addScaledInPlace(-lr, g);
            e.getValue().addInPlace(v);
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void reset() {
        velocity.clear();
    }

    @Override
    public String toString() {
        return "Momentum(lr=" + lr + ", mu=" + mu + ")";
    }
}
