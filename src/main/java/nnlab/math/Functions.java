package nnlab.math;

/** Scalar functions shared by layers, losses and notebooks. */
public final class Functions {
    private Functions() {
    }

    /** Logistic sigmoid 1/(1+e^-x); evaluated from the side where exp cannot overflow. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** log(1 + e^x) without overflow: the softplus, used by losses on logits. */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** max(0, x). */
    public static double relu(double x) {
        return x > 0 ? x : 0.0;
    }
}
