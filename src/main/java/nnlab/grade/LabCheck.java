package nnlab.grade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import nnlab.layers.Sequential;
import nnlab.loss.Loss;
import nnlab.loss.Regularizer;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.notebook.Check;
import nnlab.notebook.CheckResult;

/**
 * The self-checks of graded labs, on top of {@link Check}'s comparisons and messages. What they add: the student's
 * code is called <em>inside</em> the check (a supplier), so an exception in it fails that check's parts with what was
 * thrown instead of stopping the cell; layer isolation ({@link #network}); a training test ({@link #training}). In
 * the student's notebook a failing check throws a {@code CheckFailure}; under the grader it is logged
 * ({@link nnlab.notebook.CheckLog}) and the cell goes on. The grader gives each check cell its points times the
 * share of parts that pass.
 *
 * <pre>{@code
 * LabCheck.near("softmax-loss: zero weights", () -> softmaxLoss(W0, b0, X, y, 0).loss(), Math.log(3), 1e-9);
 * LabCheck.gradients("softmax-grad", LabCheck.named("W", W, "b", b), () -> refLoss(W, b), () -> yourGrads(W, b));
 *     // softmax-grad: dW ok; db differs at [0,2]: relative error 0.41 (yours 0.0123, numerical 0.0209)
 * LabCheck.training("softmax-train", () -> train(200), 0.79, 60);
 * }</pre>
 */
public final class LabCheck {
    /**
     * The largest relative error a correct gradient may show in a lab: centered differences of a sigmoid network's
     * tiny entries (1e-6 and less) reach 1e-4 through rounding, while the slips the labs look for (a missing term,
     * a factor 2, a derivative applied twice) give 1e-2 and more.
     */
    public static final double GRADIENT_TOLERANCE = 1e-4;

    private LabCheck() {
    }

    /** Parameters by name, in the order given: {@code LabCheck.named("W", W, "b", b)}. */
    public static Map<String, Matrix> named(Object... namesAndMatrices) {
        Map<String, Matrix> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndMatrices.length; i += 2) {
            m.put((String) namesAndMatrices[i], (Matrix) namesAndMatrices[i + 1]);
        }
        return m;
    }

    /** {@link Check#near}, with the value computed by the student's code here. */
    public static void near(String name, DoubleSupplier actual, double expected, double tolerance) {
        CheckResult r;
        try {
            r = Check.result.near(name, actual.getAsDouble(), expected, tolerance);
        } catch (RuntimeException e) {
            r = threw(name, List.of("value"), e);
        }
        r.orThrow();
    }

    /**
     * {@link Check#gradients}: one part per parameter, the student's gradients (computed here) against centered
     * finite differences of {@code loss}, at {@link #GRADIENT_TOLERANCE}.
     */
    public static void gradients(String name, Map<String, Matrix> params, DoubleSupplier loss,
                                        Supplier<Map<String, Matrix>> analytic) {
        CheckResult r;
        try {
            r = Check.result.gradients(name, params, loss, analytic.get(), GRADIENT_TOLERANCE);
        } catch (RuntimeException e) {
            r = threw(name, d(params.keySet()), e);
        }
        r.orThrow();
    }

    /**
     * Layer isolation: {@code net} holds the student's layer among reference layers; the whole network is
     * gradient-checked (loss plus penalty) on the {@code graded} parameters only, the ones whose gradient passes
     * through the student's layer, so a bug elsewhere costs nothing here.
     */
    public static void network(String name, Sequential net, Loss loss, Regularizer reg, Matrix x, Targets y,
                                      String... graded) {
        List<String> names = graded.length > 0 ? List.of(graded) : List.copyOf(net.params().keySet());
        Map<String, Matrix> params = new LinkedHashMap<>();
        names.forEach(n -> params.put(n, net.param(n)));
        CheckResult r;
        try {
            net.backward(loss.evaluate(net.forward(x), y).dscores());
            Map<String, Matrix> grads = new LinkedHashMap<>();
            net.grads().forEach((k, v) -> grads.put(k, v.copy()));
            reg.addGradients(net, grads);
            r = Check.result.gradients(name, params, () -> loss.value(net.forward(x), y) + reg.penalty(net),
                    grads, GRADIENT_TOLERANCE);
        } catch (RuntimeException e) {
            r = threw(name, d(names), e);
        }
        r.orThrow();
    }

    /**
     * A training test: {@code train} runs a seeded training with the student's code and returns the final loss,
     * which must fall to {@code target} within {@code budgetSeconds} of wall clock.
     */
    public static void training(String name, DoubleSupplier train, double target, double budgetSeconds) {
        CheckResult r;
        long t0 = System.nanoTime();
        try {
            double loss = train.getAsDouble();
            double s = (System.nanoTime() - t0) / 1e9;
            boolean fell = loss <= target; // false for NaN
            boolean inTime = s <= budgetSeconds;
            r = new CheckResult(name, List.of(new CheckResult.Part("final loss", fell && inTime, String.format(
                    Locale.ROOT, "%.6g %s %s after %.1f s (budget %s s)%s", loss, fell ? "reaches the target" : "is "
                    + "above the target", Lab.fmt(target), s, Lab.fmt(budgetSeconds), inTime ? "" : ": too slow"))));
        } catch (RuntimeException e) {
            r = threw(name, List.of("final loss"), e);
        }
        r.orThrow();
    }

    private static List<String> d(Iterable<String> params) {
        List<String> out = new ArrayList<>();
        params.forEach(p -> out.add("d" + p));
        return out;
    }

    private static CheckResult threw(String name, List<String> parts, RuntimeException e) {
        if (e.getClass().getName().startsWith("jdk.jshell.")) {
            throw e; // JShell's "this method does not compile": the grader reports it as a compile error
        }
        String m = e.getMessage();
        String why = "not checked: your code threw " + e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        List<CheckResult.Part> out = new ArrayList<>();
        parts.forEach(p -> out.add(new CheckResult.Part(p, false, why)));
        return new CheckResult(name, out);
    }
}
