package nnlab.gradcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import nnlab.layers.Layer;
import nnlab.layers.Sequential;
import nnlab.layers.TrainingPass;
import nnlab.loss.Loss;
import nnlab.loss.Regularizer;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;

/**
 * The one finite-difference harness of the unit tests. Analytic gradients always come from the pass
 * {@code Trainer.fit} runs ({@link TrainingPass}: the library's fast path, a user's layer through its own backward),
 * numerical ones from the plain {@code forward}, so every check also compares the two paths.
 */
public final class GradientChecks {
    /** Relative error a correct backward stays below (centered differences, h = 1e-5, double precision). */
    public static final double THRESHOLD = 1e-6;

    private GradientChecks() {
    }

    /**
     * One layer's dInput and parameter gradients at input x (N × D), through the scalar {@code f = Σ(out ⊙ G)} for
     * a random G (N × M) drawn from rng, whose gradient with respect to the output is G. The layer runs inside a
     * model {@code Sequential(input, layer)} whose first layer holds x as its parameter "x", so that the training
     * pass computes dInput (it skips only the first layer's) and the report has an entry "x" beside the layer's
     * parameters.
     */
    public static GradCheckReport layer(Layer layer, Matrix x, NumpyRandom rng) {
        return layer(layer, x, rng, Integer.MAX_VALUE);
    }

    /** {@link #layer(Layer, Matrix, NumpyRandom)} on at most {@code maxEntries} seeded entries per parameter. */
    public static GradCheckReport layer(Layer layer, Matrix x, NumpyRandom rng, int maxEntries) {
        Sequential model = new Sequential(new InputAsParameter(x), layer);
        TrainingPass pass = new TrainingPass(model);
        Matrix out = pass.forward(x);
        Matrix g = rng.randn(out.rows(), out.cols());
        pass.backward(g);
        Map<String, Matrix> grads = copies(model.grads());
        GradCheck check = GradCheck.of(model.params(), () -> model.forward(x).mul(g).sum()).against(grads)
                .threshold(THRESHOLD);
        if (maxEntries < Integer.MAX_VALUE) {
            check.maxEntriesPerParam(maxEntries, 7);
        }
        return check.run();
    }

    /**
     * A model's gradients (loss plus penalty) on the training pass: equal bit for bit to the plain backward's, and
     * within {@link #THRESHOLD} of centered differences at every entry (where a ReLU or perceptron kink lies within
     * the step, smaller steps get past it). Fails naming the parameter and entry.
     */
    public static void assertTrainingGradientsMatch(Sequential model, Loss loss, Regularizer reg, Matrix x,
                                                    Targets y) {
        model.backward(loss.evaluate(model.forward(x), y).dscores());
        Map<String, Matrix> plainGrads = copies(model.grads());
        TrainingPass pass = new TrainingPass(model);
        pass.backward(loss.evaluate(pass.forward(x), y).dscores());
        Map<String, Matrix> fastGrads = copies(model.grads());
        assertEquals(plainGrads.keySet(), fastGrads.keySet());
        for (String name : plainGrads.keySet()) {
            assertArrayEquals(plainGrads.get(name).data(), fastGrads.get(name).data(), 0.0,
                    "gradient " + name + ": fit's pass differs from backward");
        }
        reg.addGradients(model, fastGrads);
        DoubleSupplier f = () -> loss.value(model.forward(x), y) + reg.penalty(model);
        for (Map.Entry<String, Matrix> e : model.params().entrySet()) {
            Matrix analytic = fastGrads.get(e.getKey());
            Matrix numeric = GradCheck.numericalGradient(f, e.getValue(), 1e-5);
            for (int k = 0; k < analytic.size(); k++) {
                double a = analytic.get(k);
                double n = numeric.get(k);
                for (double h = 1e-5 / 8; !close(a, n) && h > 1e-7; h /= 8) {
                    n = GradCheck.partial(f, e.getValue().data(), k, h);
                }
                if (!close(a, n)) {
                    fail("gradient " + e.getKey() + "[" + k + "]: fit's pass gives " + a + ", finite differences "
                            + numeric.get(k) + " (h=1e-5) / " + n + " (h=2.4e-7)");
                }
            }
        }
    }

    /** Deep copies, in the map's order (gradients are live buffers a later pass overwrites). */
    public static Map<String, Matrix> copies(Map<String, Matrix> m) {
        Map<String, Matrix> out = new LinkedHashMap<>();
        m.forEach((key, v) -> out.put(key, v.copy()));
        return out;
    }

    private static boolean close(double a, double n) {
        return Math.abs(a - n) <= THRESHOLD * Math.max(1.0, Math.abs(a) + Math.abs(n));
    }

    /** A first layer that ignores its input and outputs its parameter "x"; its gradient is dLoss/dx. */
    private static final class InputAsParameter implements Layer {
        private final Matrix x;
        private Matrix dx;

        InputAsParameter(Matrix x) {
            this.x = x;
        }

        @Override
        public Matrix forward(Matrix ignored) {
            return x;
        }

        @Override
        public Matrix backward(Matrix dout) {
            dx = dout;
            return null;
        }

        @Override
        public Map<String, Matrix> params() {
            return Map.of("x", x);
        }

        @Override
        public Map<String, Matrix> grads() {
            return dx == null ? Map.of() : Map.of("x", dx);
        }

        @Override
        public String describe() {
            return "input";
        }
    }
}
