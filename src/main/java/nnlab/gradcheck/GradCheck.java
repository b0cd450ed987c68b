package nnlab.gradcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import nnlab.layers.Sequential;
import nnlab.layers.TrainingPass;
import nnlab.loss.Loss;
import nnlab.loss.Regularizer;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;

/**
 * Numerical gradient checking by centered finite differences:
 * {@code ∂f/∂θ_k ≈ (f(θ + h·e_k) - f(θ - h·e_k)) / 2h}, compared with an analytic gradient through the relative
 * error {@code |a - n| / max(1e-8, |a| + |n|)}.
 *
 * <pre>{@code
 * GradCheckReport report = GradCheck.of(params, () -> lossOf(params))   // any loss function of the parameters
 *         .against(analyticGrads)                                       // nnlab's backward or your own
 *         .run();
 * report.passed();                                                      // every parameter under the threshold?
 * }</pre>
 *
 * <p>Parameters are perturbed in place and restored. Large parameters can be checked on a seeded random sample of
 * entries ({@link #maxEntriesPerParam}). The check is only as good as double precision allows, which is why nnlab
 * computes in doubles.
 */
public final class GradCheck {
    /** The default finite-difference step. */
    public static final double DEFAULT_H = 1e-5;
    /** The default pass threshold on the maximum relative error. */
    public static final double DEFAULT_THRESHOLD = 1e-6;

    private final Map<String, Matrix> params;
    private final DoubleSupplier loss;
    private Map<String, Matrix> analytic;
    private double h = DEFAULT_H;
    private double threshold = DEFAULT_THRESHOLD;
    private int maxEntries = Integer.MAX_VALUE;
    private long seed;

    private GradCheck(Map<String, Matrix> params, DoubleSupplier loss) {
        this.params = params;
        this.loss = loss;
    }

    /** A check of {@code loss} (a function reading the live parameter matrices) over the named parameters. */
    public static GradCheck of(Map<String, Matrix> params, DoubleSupplier loss) {
        return new GradCheck(new LinkedHashMap<>(params), loss);
    }

    /**
     * A check of a model's gradients as training computes them: loss = data loss of {@code loss} on (x, y) plus the
     * penalty; analytic gradients from the pass {@code Trainer.fit} runs (a {@link TrainingPass}: the library's
     * buffer-reusing fast path, a user's layers through their own backward) plus the penalty's gradient. The
     * numerical side evaluates the plain {@code model.forward}, so the two paths are checked against each other.
     */
    public static GradCheck of(Sequential model, Loss loss, Regularizer reg, Matrix x, Targets y) {
        DoubleSupplier f = () -> loss.value(model.forward(x), y) + reg.penalty(model);
        TrainingPass pass = new TrainingPass(model);
        Matrix scores = pass.forward(x);
        pass.backward(loss.evaluate(scores, y).dscores());
        Map<String, Matrix> grads = new LinkedHashMap<>();
        model.grads().forEach((k, v) -> grads.put(k, v.copy()));
        reg.addGradients(model, grads);
        return of(model.params(), f).against(grads);
    }

    /** The analytic gradients to compare with, keyed like the parameters. */
    public GradCheck against(Map<String, Matrix> analyticGrads) {
        this.analytic = analyticGrads;
        return this;
    }

    /** The finite-difference step h (> 0) of the centered differences {@code (f(p+h) − f(p−h)) / 2h}. */
    public GradCheck step(double h) {
        if (!(h > 0)) {
            throw new IllegalArgumentException("finite-difference step must be > 0, got " + h);
        }
        this.h = h;
        return this;
    }

    /** The relative error above which an entry fails. */
    public GradCheck threshold(double threshold) {
        this.threshold = threshold;
        return this;
    }

    /** Checks at most n entries of each parameter, chosen at random from a NumpyRandom(seed) stream. */
    public GradCheck maxEntriesPerParam(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("maxEntriesPerParam must be at least 1, got " + n);
        }
        this.maxEntries = n;
        this.seed = seed;
        return this;
    }

    /** The numerical gradient of every parameter (all entries). */
    public Map<String, Matrix> numericalGradients() {
        Map<String, Matrix> out = new LinkedHashMap<>();
        for (Map.Entry<String, Matrix> e : params.entrySet()) {
            out.put(e.getKey(), numericalGradient(loss, e.getValue(), h));
        }
        return out;
    }

    /**
     * The centered-difference gradient of f with respect to every entry of x (x is perturbed in place and restored):
     * cs231n's {@code eval_numerical_gradient}.
     */
    public static Matrix numericalGradient(DoubleSupplier f, Matrix x, double h) {
        Matrix grad = new Matrix(x.rows(), x.cols());
        double[] d = x.data();
        for (int k = 0; k < d.length; k++) {
            grad.data()[k] = partial(f, d, k, h);
        }
        return grad;
    }

    /** The centered difference (f(d[k] + h) - f(d[k] - h)) / 2h, with d[k] restored afterwards. */
    static double partial(DoubleSupplier f, double[] d, int k, double h) {
        double old = d[k];
        d[k] = old + h;
        double plus = f.getAsDouble();
        d[k] = old - h;
        double minus = f.getAsDouble();
        d[k] = old;
        return (plus - minus) / (2 * h);
    }

    /** {@code |a - n| / max(1e-8, |a| + |n|)}. */
    public static double relError(double a, double n) {
        return Math.abs(a - n) / Math.max(1e-8, Math.abs(a) + Math.abs(n));
    }

    /** The largest element-wise relative error between two matrices of the same shape. */
    public static double relError(Matrix a, Matrix n) {
        if (!a.sameShape(n)) {
            throw new IllegalArgumentException("relError: shapes " + a.shapeString() + " and " + n.shapeString()
                    + " differ");
        }
        double worst = 0;
        for (int k = 0; k < a.size(); k++) {
            worst = Math.max(worst, relError(a.get(k), n.get(k)));
        }
        return worst;
    }

    /** Runs the check: for each parameter, the numerical gradient (same shape) against the analytic one. */
    public GradCheckReport run() {
        if (analytic == null) {
            throw new IllegalStateException("no analytic gradients to check; call against(grads) first");
        }
        List<GradCheckReport.Entry> entries = new ArrayList<>();
        NumpyRandom rng = new NumpyRandom(seed);
        for (Map.Entry<String, Matrix> e : params.entrySet()) {
            String name = e.getKey();
            Matrix p = e.getValue();
            Matrix a = analytic.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no analytic gradient for parameter '" + name + "' (have "
                        + analytic.keySet() + ")");
            }
            if (!a.sameShape(p)) {
                throw new IllegalArgumentException("gradient of '" + name + "' has shape " + a.shapeString()
                        + " but the parameter is " + p.shapeString());
            }
            int[] indices = p.size() <= maxEntries ? range(p.size())
                    : java.util.Arrays.copyOf(rng.permutation(p.size()), maxEntries);
            double worst = -1;
            int worstIndex = 0;
            double worstA = 0;
            double worstN = 0;
            for (int k : indices) {
                double num = partial(loss, p.data(), k, h);
                double err = relError(a.get(k), num);
                if (err > worst || Double.isNaN(err)) {
                    worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                    worstIndex = k;
                    worstA = a.get(k);
                    worstN = num;
                }
            }
            entries.add(new GradCheckReport.Entry(name, p.rows(), p.cols(), indices.length, Math.max(worst, 0),
                    worstIndex / Math.max(1, p.cols()), worstIndex % Math.max(1, p.cols()), worstA, worstN,
                    worst <= threshold));
        }
        return new GradCheckReport(entries, threshold, h);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
