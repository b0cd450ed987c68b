package nnlab.optim;

import java.util.HashMap;
import java.util.Map;
import nnlab.math.Matrix;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, as PyTorch and Keras implement it:
 * {@code m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; θ ← θ - η·m̂ / (√v̂ + ε)} with
 * {@code m̂ = m/(1-β1^t), v̂ = v/(1-β2^t)}.
 */
public final class Adam implements Optimizer {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, Matrix> m = new HashMap<>();
    private final Map<String, Matrix> v = new HashMap<>();
    private int t;

    /** Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /** Adam with the given decay rates of the first and second moment estimates and ε. */
    public Adam(double learningRate, double beta1, double beta2, double eps) {
        Optimizer.checkRate(learningRate);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("Adam: eps must be > 0, got " + eps);
        }
        this.lr = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public void step(Map<String, Matrix> params, Map<String, Matrix> grads) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (Map.Entry<String, Matrix> e : params.entrySet()) {
            Matrix g = Optimizer.gradientFor(e.getKey(), grads);
            double[] gm = m.computeIfAbsent(e.getKey(), k -> Matrix.zeros(g.rows(), g.cols())).data();
            double[] gv = v.computeIfAbsent(e.getKey(), k -> Matrix.zeros(g.rows(), g.cols())).data();
            double[] p = e.getValue().data();
            double[] gd = g.data();
            for (int k = 0; k < p.length; k++) {
                gm[k] = beta1 * gm[k] + (1 - beta1) * gd[k];
                gv[k] = beta2 * gv[k] + (1 - beta2) * gd[k] * gd[k];
                p[k] -= lr * (gm[k] / c1) / (Math.sqrt(gv[k] / c2) + eps);
            }
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void reset() {
        m.clear();
        v.clear();
        t = 0;
    }

    @Override
    public String toString() {
        return "Adam(lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ")";
    }
}
