package nnlab.loss;

import java.util.Map;
import java.util.function.Predicate;
import nnlab.math.Matrix;

/**
 * A penalty on the parameters, added to the data loss, with its gradient. By default only weights are penalized
 * (parameters whose name starts with "W"); biases only when asked with {@link #includingBiases()}.
 *
 * <ul>
 *   <li>{@link #l2Half(double)}: {@code 0.5·λ·ΣW²}, gradient {@code λ·W} (cs231n's convention);</li>
 *   <li>{@link #l2(double)}: {@code λ·ΣW²}, gradient {@code 2λ·W};</li>
 *   <li>{@link #l1(double)}: {@code λ·Σ|W|}, gradient {@code λ·sign(W)}.</li>
 * </ul>
 */
public final class Regularizer {
    private enum Kind { L2_HALF, L2, L1, NONE }

    private final Kind kind;
    private final double lambda;
    private final Predicate<String> applies;

    private Regularizer(Kind kind, double lambda, Predicate<String> applies) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("regularization strength must be a finite value >= 0, got " + lambda);
        }
        this.kind = kind;
        this.lambda = lambda;
        this.applies = applies;
    }

    private static boolean isWeight(String name) {
        return name.startsWith("W");
    }

    public static Regularizer none() {
        return new Regularizer(Kind.NONE, 0, n -> false);
    }

    public static Regularizer l2Half(double lambda) {
        return new Regularizer(Kind.L2_HALF, lambda, Regularizer::isWeight);
    }

    public static Regularizer l2(double lambda) {
        return new Regularizer(Kind.L2, lambda, Regularizer::isWeight);
    }

    public static Regularizer l1(double lambda) {
        return new Regularizer(Kind.L1, lambda, Regularizer::isWeight);
    }

    /** The same penalty applied to every parameter, biases included. */
    public Regularizer includingBiases() {
        return new Regularizer(kind, lambda, n -> true);
    }

    /** The same penalty applied only to the named parameters. */
    public Regularizer only(String... names) {
        java.util.Set<String> set = java.util.Set.of(names);
        return new Regularizer(kind, lambda, set::contains);
    }

    public double lambda() {
        return lambda;
    }

    public boolean appliesTo(String name) {
        return applies.test(name);
    }

    /** The penalty of one parameter matrix. */
    public double penalty(Matrix W) {
        return switch (kind) {
            case L2_HALF -> 0.5 * lambda * W.sumOfSquares();
            case L2 -> lambda * W.sumOfSquares();
            case L1 -> {
                double s = 0;
                for (double v : W.data()) {
                    s += Math.abs(v);
                }
                yield lambda * s;
            }
            case NONE -> 0.0;
        };
    }

    /** Total penalty over the parameters it applies to. */
    public double penalty(Map<String, Matrix> params) {
        double total = 0;
        for (Map.Entry<String, Matrix> e : params.entrySet()) {
            if (applies.test(e.getKey())) {
                total += penalty(e.getValue());
            }
        }
        return total;
    }

    /** grad += d penalty / dW, in place. */
    public void addGradient(Matrix W, Matrix grad) {
        switch (kind) {
            case L2_HALF -> grad.addScaledInPlace(lambda, W);
            case L2 -> grad.addScaledInPlace(2 * lambda, W);
            case L1 -> {
                double[] g = grad.data();
                double[] w = W.data();
                for (int k = 0; k < g.length; k++) {
                    g[k] += lambda * Math.signum(w[k]);
                }
            }
            case NONE -> {
            }
        }
    }

    /** Adds the penalty's gradient to every gradient whose parameter it applies to. */
    public void addGradients(Map<String, Matrix> params, Map<String, Matrix> grads) {
        for (Map.Entry<String, Matrix> e : params.entrySet()) {
            if (applies.test(e.getKey())) {
                Matrix g = grads.get(e.getKey());
                if (g == null) {
                    throw new IllegalStateException("no gradient for parameter '" + e.getKey()
                            + "'; run backward before adding the regularization gradient");
                }
                addGradient(e.getValue(), g);
            }
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case L2_HALF -> "0.5·λ·ΣW² (λ=" + lambda + ")";
            case L2 -> "λ·ΣW² (λ=" + lambda + ")";
            case L1 -> "λ·Σ|W| (λ=" + lambda + ")";
            case NONE -> "none";
        };
    }
}
