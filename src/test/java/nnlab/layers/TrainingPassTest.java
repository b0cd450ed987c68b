package nnlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import nnlab.gradcheck.GradientChecks;
import nnlab.loss.Regularizer;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.optim.GradientDescent;
import nnlab.train.Trainer;
import org.junit.jupiter.api.Test;

/** The cases of issue 10 that fit() used to get wrong, each against the plain forward/backward/step. */
class TrainingPassTest {
    /** A student's layer: forward and backward only, passing its input through. */
    static final class PassThrough implements Layer {
        @Override
        public Matrix forward(Matrix x) {
            return x;
        }

        @Override
        public Matrix backward(Matrix dout) {
            return dout;
        }

        @Override
        public String describe() {
            return "PassThrough";
        }
    }

    private static Matrix data(int n, int d, long seed) {
        NumpyRandom r = new NumpyRandom(seed);
        Matrix x = new Matrix(n, d);
        for (int k = 0; k < x.size(); k++) {
            x.data()[k] = r.standardNormal();
        }
        return x;
    }

    private static int[] labels(int n, int k) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
        }
        return y;
    }

    /** Runs fit on one copy and plain steps on another; asserts every parameter equal bit for bit. */
    private static void assertFitEqualsPlain(java.util.function.Supplier<Sequential> make, Matrix x, int[] y,
                                             int steps) {
        Sequential fitted = make.get();
        Sequential plain = make.get();
        Matrix before = x.copy();
        new Trainer(fitted, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(1.0))
                .regularizer(Regularizer.l2Half(1e-3)).fullBatch(steps).fit(x, Targets.labels(y));
        Trainer t = new Trainer(plain, new SoftmaxCrossEntropy()).regularizer(Regularizer.l2Half(1e-3));
        GradientDescent gd = new GradientDescent(1.0);
        for (int i = 0; i < steps; i++) {
            t.lossAndGradients(x, Targets.labels(y));
            gd.step(plain.params(), plain.grads());
        }
        for (Map.Entry<String, Matrix> e : plain.params().entrySet()) {
            assertArrayEquals(e.getValue().data(), fitted.param(e.getKey()).data(), 0.0, e.getKey());
        }
        assertArrayEquals(before.data(), x.data(), 0.0, "fit modified the caller's X");
    }

    @Test
    void stackedActivationsTrainAsThePlainPath() {
        // The reproduction: Dense(3->8) - ReLU - Sigmoid - Dense(8->3), 20 samples, fullBatch(1).
        Matrix x = data(20, 3, 1);
        int[] y = labels(20, 3);
        java.util.function.Supplier<Sequential> make = () -> {
            NumpyRandom rng = new NumpyRandom(2);
            return new Sequential(new Dense("1", 3, 8, Init.normal(1.0), rng), Activation.relu(),
                    Activation.sigmoid(), new Dense("2", 8, 3, Init.normal(1.0), rng));
        };
        assertFitEqualsPlain(make, x, y, 1);
        assertFitEqualsPlain(make, x, y, 5);
        GradientChecks.assertTrainingGradientsMatch(make.get(), new SoftmaxCrossEntropy(), Regularizer.l2Half(1e-3),
                x, Targets.labels(y));
    }

    @Test
    void aPassThroughUserLayerFirstNeverLetsXBeOverwritten() {
        Matrix x = data(20, 3, 3);
        int[] y = labels(20, 3);
        assertFitEqualsPlain(() -> {
            NumpyRandom rng = new NumpyRandom(4);
            return new Sequential(new PassThrough(), Activation.tanh(), Activation.relu(),
                    new Dense("1", 3, 6, Init.normal(1.0), rng), new PassThrough(), Activation.sigmoid(),
                    new PassThrough(), Activation.sigmoid(), new Dense("2", 6, 3, Init.normal(1.0), rng),
                    Activation.tanh());
        }, x, y, 4);
    }

    @Test
    void theSameLayerObjectTwiceIsRejectedNamingItAndBothPositions() {
        Activation relu = Activation.relu();
        NumpyRandom rng = new NumpyRandom(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential(
                new Dense("1", 2, 4, Init.normal(1.0), rng), relu, new Dense("2", 4, 4, Init.normal(1.0), rng),
                relu, new Dense("3", 4, 2, Init.normal(1.0), rng)));
        assertTrue(e.getMessage().contains("ReLU") && e.getMessage().contains("positions 1 and 3"), e.getMessage());
        Dense d = new Dense("1", 2, 2, Init.normal(1.0), rng);
        e = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(d, Activation.relu(), new Sequential(Activation.tanh(), d)));
        assertTrue(e.getMessage().contains("Dense1(2 -> 2)") && e.getMessage().contains("positions 0 and 2.1"),
                e.getMessage());
    }

    @Test
    void aShapeMismatchNamesBothLayersAndBothShapesAtTheFirstForward() {
        NumpyRandom rng = new NumpyRandom(0);
        Sequential net = new Sequential(new Dense("1", 2, 5, Init.normal(1.0), rng), Activation.relu(),
                new Dense("2", 4, 3, Init.normal(1.0), rng));
        for (java.util.function.Function<Matrix, Matrix> f : java.util.List.<java.util.function.Function<Matrix,
                Matrix>>of(net::forward, new TrainingPass(net)::forward)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.apply(new Matrix(7, 2)));
            String m = e.getMessage();
            assertTrue(m.contains("layer 2 Dense2(4 -> 3)") && m.contains("layer 1 ReLU") && m.contains("(7x5)")
                    && m.contains("(7x4)"), m);
        }
    }

    @Test
    void onlyTheLibrarysLayersHaveTheFastPath() {
        assertFalse(FastLayer.class.isAssignableFrom(Layer.class));
        assertTrue(java.lang.reflect.Modifier.isPublic(Layer.class.getModifiers()));
        assertFalse(java.lang.reflect.Modifier.isPublic(FastLayer.class.getModifiers()), "FastLayer is internal");
        // What a student must write: forward, backward, describe; params and grads when the layer has any, and
        // weightNames only to exclude some parameters (a bias) from the penalty. Nothing of the fast path.
        for (java.lang.reflect.Method m : Layer.class.getMethods()) {
            java.util.Set<String> allowed = m.isDefault() ? java.util.Set.of("params", "grads", "weightNames")
                    : java.util.Set.of("forward", "backward", "describe");
            assertTrue(allowed.contains(m.getName()), "Layer has " + m.getName() + (m.isDefault() ? " (default)" : ""));
        }
    }
}
