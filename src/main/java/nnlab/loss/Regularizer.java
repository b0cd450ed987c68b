package nnlab.loss;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnlab.layers.Layer;
import nnlab.math.Matrix;

/**
 * A penalty on the parameters of a model, added to the data loss, with its gradient.
 *
 * <p>Which parameters: by default the model's weights, the names its layers list in {@link Layer#weightNames()}
 * ({@code W1}, {@code W2}, ... for {@code Dense} and {@code Conv2D}, never their biases); a layer that does not say
 * has all its parameters counted as weights. Names play no part: a student's layer with a weight "kernel" and a bias
 * "Wb" that declares {@code weightNames() = {"kernel"}} has exactly "kernel" penalised.
 * {@link #includingBiases()} penalises every parameter, {@link #only(String...)} exactly the named ones.
 *
 * <ul>
 *   <li>{@link #l2Half(double)}: {@code 0.5·λ·ΣW²}, gradient {@code λ·W} (cs231n's convention);</li>
 *   <li>{@link #l2(double)}: {@code λ·ΣW²}, gradient {@code 2λ·W};</li>
 *   <li>{@link #l1(double)}: {@code λ·Σ|W|}, gradient {@code λ·sign(W)}.</li>
 * </ul>
 */
public final class Regularizer {
    private enum Kind { L2_HALF, L2, L1, NONE }

    /** Which parameters: the model's weights, all of them, or the named ones. */
    private enum Selection { WEIGHTS, ALL, NAMED }

    private final Kind kind;
    private final double lambda;
    private final Selection selection;
    private final Set<String> named;

    private Regularizer(Kind kind, double lambda, Selection selection, Set<String> named) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("regularization strength must be a finite value >= 0, got " + lambda);
        }
        this.kind = kind;
        this.lambda = lambda;
        this.selection = selection;
        this.named = named;
    }

    /** No penalty (value 0, gradient 0). */
    public static Regularizer none() {
        return new Regularizer(Kind.NONE, 0, Selection.WEIGHTS, Set.of());
    }

    /** {@code 0.5·λ·ΣW²} over the weights, gradient {@code λ·W}. */
    public static Regularizer l2Half(double lambda) {
        return new Regularizer(Kind.L2_HALF, lambda, Selection.WEIGHTS, Set.of());
    }

    /** {@code λ·ΣW²} over the weights, gradient {@code 2λ·W}. */
    public static Regularizer l2(double lambda) {
        return new Regularizer(Kind.L2, lambda, Selection.WEIGHTS, Set.of());
    }

    /** {@code λ·Σ|W|} over the weights, gradient {@code λ·sign(W)}. */
    public static Regularizer l1(double lambda) {
        return new Regularizer(Kind.L1, lambda, Selection.WEIGHTS, Set.of());
    }

    /** The same penalty applied to every parameter, biases included. */
    public Regularizer includingBiases() {
        return new Regularizer(kind, lambda, Selection.ALL, Set.of());
    }

    /** The same penalty applied to exactly the named parameters (each must exist in the model it is used with). */
    public Regularizer only(String... names) {
        return new Regularizer(kind, lambda, Selection.NAMED, new LinkedHashSet<>(List.of(names)));
    }

    /** The strength λ (≥ 0). */
    public double lambda() {
        return lambda;
    }

    /**
     * The names of the model's parameters this penalty applies to, in the model's order.
     *
     * @throws IllegalArgumentException when a name given to {@link #only} or listed by a layer's
     *         {@link Layer#weightNames()} is not a parameter of the model
     */
    public Set<String> appliesTo(Layer model) {
        Map<String, Matrix> params = model.params();
        Set<String> chosen = switch (selection) {
            case ALL -> params.keySet();
            case WEIGHTS -> model.weightNames();
            case NAMED -> named;
        };
        for (String name : chosen) {
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException("regularizer: " + model.describe() + " has no parameter '" + name
                        + "' (" + (selection == Selection.NAMED ? "given to only(...)" : "listed by weightNames()")
                        + "); its parameters are " + params.keySet());
            }
        }
        Set<String> inOrder = new LinkedHashSet<>();
        for (String name : params.keySet()) {
            if (chosen.contains(name)) {
                inOrder.add(name);
            }
        }
        return inOrder;
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

    /** Total penalty over the model's parameters it {@linkplain #appliesTo applies to}. */
    public double penalty(Layer model) {
        if (kind == Kind.NONE) {
            return 0.0;
        }
        Map<String, Matrix> params = model.params();
        double total = 0;
        for (String name : appliesTo(model)) {
            total += penalty(params.get(name));
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

    /**
     * Adds the penalty's gradient, in place, to the model's gradients ({@code model.grads()}, live after a backward)
     * of the parameters it {@linkplain #appliesTo applies to}.
     */
    public void addGradients(Layer model) {
        addGradients(model, model.grads());
    }

    /**
     * Adds the penalty's gradient, in place, to {@code grads} (keyed like {@code model.params()}, each shaped like its
     * parameter) for the parameters of the model it {@linkplain #appliesTo applies to}.
     *
     * @throws IllegalStateException when one of those parameters has no gradient in {@code grads}
     */
    public void addGradients(Layer model, Map<String, Matrix> grads) {
        if (kind == Kind.NONE) {
            return;
        }
        Map<String, Matrix> params = model.params();
        for (String name : appliesTo(model)) {
            Matrix g = grads.get(name);
            if (g == null) {
                throw new IllegalStateException("no gradient for parameter '" + name
                        + "'; run backward before adding the regularization gradient");
            }
            addGradient(params.get(name), g);
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
