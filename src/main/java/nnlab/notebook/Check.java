package nnlab.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import nnlab.gradcheck.GradCheck;
import nnlab.gradcheck.GradCheckReport;
import nnlab.math.Matrix;

/**
 * Self-checks for exercises: each compares a student's result with what it should be, prints "passed ..." when
 * right, and throws a {@link CheckFailure} that says what is wrong, with numbers, when not:
 *
 * <pre>{@code
 * Check.near("softmax-loss", loss, Math.log(3), 1e-3);
 *     // softmax-loss: loss is 0.693147, expected 1.09861 ± 0.001 (off by 0.405465)
 * Check.gradients("two-layer-grad", net.params(), () -> lossOf(net), grads);
 *     // two-layer-grad: dW1 differs at [3,1]: relative error 0.41 (yours 0.0123, numerical 0.0209); db1 ok; ...
 * Check.matrix("dscores", dscores, expected, Check.TOLERANCE);
 * }</pre>
 *
 * The methods return nothing, so a check cell shows only what they print. Every method has a twin in
 * {@link #result} form (e.g. {@code Check.result.near(...)}) that returns the
 * {@link CheckResult} instead of throwing, with the same comparisons and tolerances, for the grader's partial credit.
 * Matrices are compared entry by entry through the relative error {@code |a - b| / max(1e-8, |a| + |b|)} of
 * {@link GradCheck#relError}; gradients through {@link GradCheck}'s centered differences.
 */
public final class Check {
    /** The default largest relative error between a result and its expected matrix. */
    public static final double TOLERANCE = 1e-6;
    /** The default largest relative error between an analytic and a numerical gradient (GradCheck's threshold). */
    public static final double GRADIENT_TOLERANCE = GradCheck.DEFAULT_THRESHOLD;

    /** The same checks, returning their {@link CheckResult} instead of throwing. */
    public static final Results result = new Results();

    private Check() {
    }

    /** {@code |actual - expected| ≤ tolerance} (NaN fails). */
    public static void near(String name, double actual, double expected, double tolerance) {
        result.near(name, actual, expected, tolerance).orThrow();
    }

    /** {@code actual == expected}, for counts and shapes: "parameters is 120, expected 124". */
    public static void equal(String name, long actual, long expected) {
        result.equal(name, actual, expected).orThrow();
    }

    /** A condition, with the message to show when it does not hold. */
    public static void that(String name, boolean condition, String whatIsWrong) {
        result.that(name, condition, whatIsWrong).orThrow();
    }

    /** Same shape and every entry within {@code tolerance} relative error. */
    public static void matrix(String name, Matrix actual, Matrix expected, double tolerance) {
        result.matrix(name, actual, expected, tolerance).orThrow();
    }

    /** Several named matrices (e.g. {@code dW1, db1, ...}), one part each. */
    public static void matrices(String name, Map<String, Matrix> actual, Map<String, Matrix> expected,
                                       double tolerance) {
        result.matrices(name, actual, expected, tolerance).orThrow();
    }

    /**
     * Analytic gradients against centered finite differences of {@code loss} (a function that reads the live
     * parameter matrices), one part per parameter named {@code d<param>}, at {@link #GRADIENT_TOLERANCE}.
     *
     * @param params        the parameters by name (perturbed in place and restored)
     * @param loss          the loss as a function of the parameters
     * @param analyticGrads the gradients to check, keyed like {@code params}, each of its parameter's shape
     */
    public static void gradients(String name, Map<String, Matrix> params, DoubleSupplier loss,
                                        Map<String, Matrix> analyticGrads) {
        result.gradients(name, params, loss, analyticGrads, GRADIENT_TOLERANCE).orThrow();
    }

    /** {@link #gradients(String, Map, DoubleSupplier, Map)} for one parameter matrix {@code x}. */
    public static void gradient(String name, String param, Matrix x, DoubleSupplier loss, Matrix analytic) {
        result.gradients(name, Map.of(param, x), loss, Map.of(param, analytic), GRADIENT_TOLERANCE).orThrow();
    }

    /** A gradient check that was already run, one part per parameter. */
    public static void gradients(String name, GradCheckReport report) {
        result.gradients(name, report).orThrow();
    }

    /** The checks of {@link Check} that return their result instead of throwing (same comparisons). */
    public static final class Results {
        private Results() {
        }

        public CheckResult near(String name, double actual, double expected, double tolerance) {
            double off = Math.abs(actual - expected);
            boolean ok = off <= tolerance;
            String detail = "is " + val(actual) + ", expected " + val(expected) + " ± " + val(tolerance)
                    + (ok ? "" : " (off by " + num(off) + ")");
            return one(name, "value", ok, detail);
        }

        public CheckResult equal(String name, long actual, long expected) {
            return one(name, "value", actual == expected, "is " + actual + ", expected " + expected);
        }

        public CheckResult that(String name, boolean condition, String whatIsWrong) {
            return new CheckResult(name, List.of(new CheckResult.Part("", condition, condition ? "ok" : whatIsWrong)));
        }

        public CheckResult matrix(String name, Matrix actual, Matrix expected, double tolerance) {
            return new CheckResult(name, List.of(compare(name, actual, expected, tolerance, "expected")));
        }

        public CheckResult matrices(String name, Map<String, Matrix> actual, Map<String, Matrix> expected,
                                    double tolerance) {
            List<CheckResult.Part> parts = new ArrayList<>();
            for (Map.Entry<String, Matrix> e : expected.entrySet()) {
                parts.add(compare(e.getKey(), actual.get(e.getKey()), e.getValue(), tolerance, "expected"));
            }
            return new CheckResult(name, parts);
        }

        public CheckResult gradients(String name, Map<String, Matrix> params, DoubleSupplier loss,
                                     Map<String, Matrix> analyticGrads, double tolerance) {
            List<CheckResult.Part> parts = new ArrayList<>();
            Map<String, Matrix> checkable = new LinkedHashMap<>();
            for (Map.Entry<String, Matrix> e : params.entrySet()) {
                Matrix g = analyticGrads.get(e.getKey());
                String what = "d" + e.getKey();
                if (g == null) {
                    parts.add(new CheckResult.Part(what, false, "is missing (null)"));
                } else if (!g.sameShape(e.getValue())) {
                    parts.add(new CheckResult.Part(what, false, "has shape " + g.shapeString() + ", expected "
                            + e.getValue().shapeString() + " (the shape of " + e.getKey() + ")"));
                } else {
                    checkable.put(e.getKey(), e.getValue());
                    parts.add(null);  // filled from the report below, keeping the parameters' order
                }
            }
            if (!checkable.isEmpty()) {
                GradCheckReport report = GradCheck.of(checkable, loss).against(analyticGrads).threshold(tolerance)
                        .run();
                int k = 0;
                for (GradCheckReport.Entry e : report.entries()) {
                    while (parts.get(k) != null) {
                        k++;
                    }
                    parts.set(k, part(e));
                }
            }
            return new CheckResult(name, parts);
        }

        public CheckResult gradients(String name, GradCheckReport report) {
            return new CheckResult(name, report.entries().stream().map(Results::part).toList());
        }

        private static CheckResult.Part part(GradCheckReport.Entry e) {
            String what = "d" + e.name();
            if (e.passed()) {
                return new CheckResult.Part(what, true, "");
            }
            return new CheckResult.Part(what, false, "differs at [" + e.worstRow() + "," + e.worstCol()
                    + "]: relative error " + num(e.maxRelError()) + " (yours " + val(e.analytic()) + ", numerical "
                    + val(e.numerical()) + ")");
        }

        private static CheckResult one(String name, String what, boolean ok, String detail) {
            return new CheckResult(name, List.of(new CheckResult.Part(what, ok, detail)));
        }

        private static CheckResult.Part compare(String what, Matrix actual, Matrix expected, double tolerance,
                                                String other) {
            if (actual == null) {
                return new CheckResult.Part(what, false, "is missing (null)");
            }
            if (!actual.sameShape(expected)) {
                return new CheckResult.Part(what, false, "has shape " + actual.shapeString() + ", expected "
                        + expected.shapeString());
            }
            double worst = -1;
            int at = 0;
            for (int k = 0; k < actual.size(); k++) {
                double err = GradCheck.relError(actual.get(k), expected.get(k));
                if (Double.isNaN(err)) {
                    err = Double.POSITIVE_INFINITY;
                }
                if (err > worst) {
                    worst = err;
                    at = k;
                }
            }
            if (worst <= tolerance) {
                return new CheckResult.Part(what, true, "");
            }
            int cols = Math.max(1, actual.cols());
            return new CheckResult.Part(what, false, "differs at [" + at / cols + "," + at % cols
                    + "]: relative error " + num(worst) + " (yours " + val(actual.get(at)) + ", " + other + " "
                    + val(expected.get(at)) + ")");
        }
    }

    /** Values in messages: six significant digits. */
    static String val(double v) {
        return Double.isFinite(v) ? Notebook.compact(v) : String.valueOf(v);
    }

    /** Errors in messages: three significant digits (0.41, 2.3e-05). */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        return Notebook.compact(Double.parseDouble(String.format(Locale.ROOT, "%.3g", v)));
    }
}
