package nnlab.train;

import java.util.Locale;
import java.util.Map;
import nnlab.math.Matrix;

/**
 * Stops a training loop at the first non-finite number with a message that names the iteration, the learning rate
 * and the likely cause: a NaN or infinite loss ({@link #check(double, int, double)}), input data
 * ({@link #checkInputs}) or parameters after an update ({@link #checkParams}). Hand-written loops in notebooks call
 * {@code check} once per iteration; the {@link Trainer} does all three itself.
 */
public final class NanGuard {
    private double lastLoss = Double.NaN;
    private int lastIteration = -1;

    /** Throws {@link TrainingDivergedException} if loss is NaN or infinite; otherwise remembers it. */
    public void check(double loss, int iteration, double learningRate) {
        if (!Double.isFinite(loss)) {
            String before = lastIteration < 0 ? "" : String.format(Locale.ROOT,
                    " (it was %.6g at iteration %d)", lastLoss, lastIteration);
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "training diverged: the loss became %s at iteration %d%s. The step size %s is probably too "
                            + "large for this model, or the gradient has a wrong sign; lower the learning rate, "
                            + "and run a gradient check on the backward pass.",
                    kind(loss), iteration, before, learningRate), iteration);
        }
        lastLoss = loss;
        lastIteration = iteration;
    }

    /**
     * Throws {@link TrainingDivergedException} if the data x (what names it, e.g. "training inputs X") has a NaN or
     * infinite entry, naming the first one; training cannot learn from it.
     */
    public static void checkInputs(String what, Matrix x, int iteration, double learningRate) {
        int k = firstNonFinite(x);
        if (k >= 0) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "training stopped before iteration %d (learning rate %s): the %s %s contain %s at row %d, "
                            + "column %d; remove or fill in missing values before training.",
                    iteration, learningRate, what, x.shapeString(), kind(x.get(k)), k / x.cols(), k % x.cols()),
                    iteration);
        }
    }

    /**
     * Throws {@link TrainingDivergedException} if a parameter has a NaN or infinite entry after the update of the
     * given iteration (before it, if {@code afterUpdate} is false), naming the parameter, the entry, the iteration and
     * the learning rate.
     */
    public static void checkParams(Map<String, Matrix> params, int iteration, double learningRate,
                                   boolean afterUpdate) {
        for (Map.Entry<String, Matrix> e : params.entrySet()) {
            Matrix p = e.getValue();
            int k = firstNonFinite(p);
            if (k >= 0) {
                throw new TrainingDivergedException(String.format(Locale.ROOT,
                        "training stopped %s iteration %d (learning rate %s): parameter %s %s is %s at [%d, %d]%s",
                        afterUpdate ? "at" : "before", iteration, learningRate, e.getKey(), p.shapeString(),
                        kind(p.get(k)), k / p.cols(), k % p.cols(), afterUpdate
                                ? " after the update; the step size " + learningRate + " is probably too large, or a "
                                + "gradient is not finite (lower the learning rate and run a gradient check)."
                                : "; initialize every parameter with finite values."), iteration);
            }
        }
    }

    private static int firstNonFinite(Matrix m) {
        double[] d = m.data();
        for (int k = 0; k < d.length; k++) {
            if (!Double.isFinite(d[k])) {
                return k;
            }
        }
        return -1;
    }

    private static String kind(double v) {
        return Double.isNaN(v) ? "NaN" : "infinite";
    }
}
