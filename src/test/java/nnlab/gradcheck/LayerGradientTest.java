package nnlab.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import nnlab.layers.Activation;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Layer;
import nnlab.layers.LayerFunctions;
import nnlab.layers.Sequential;
import nnlab.loss.Regularizer;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import org.junit.jupiter.api.Test;

/**
 * Every layer's hand-written backward pass against centered finite differences, at relative error below 1e-6.
 * Each layer is checked through the scalar {@code f = Σ(out ⊙ G)} for a fixed random G, whose gradient with
 * respect to the output is G: so the check covers dInput and every parameter's gradient.
 */
class LayerGradientTest {
    private static final double THRESHOLD = GradientChecks.THRESHOLD;

    /** Inputs kept away from ReLU's kink at 0, where the finite difference straddles two slopes. */
    private static Matrix awayFromZero(NumpyRandom rng, int r, int c) {
        return rng.randn(r, c).map(v -> v >= 0 ? v + 0.1 : v - 0.1);
    }

    @Test
    void denseLayer() {
        NumpyRandom rng = new NumpyRandom(0);
        GradCheckReport r = GradientChecks.layer(new Dense("1", 5, 4, Init.normal(1.0), Init.normal(1.0), rng),
                rng.randn(6, 5), rng);
        assertTrue(r.passed(), r::toString);
        assertEquals(3, r.entries().size());
    }

    @Test
    void reluSigmoidTanh() {
        NumpyRandom rng = new NumpyRandom(1);
        for (Layer layer : new Layer[] {Activation.relu(), Activation.sigmoid(), Activation.tanh()}) {
            GradCheckReport r = GradientChecks.layer(layer, awayFromZero(rng, 7, 3), rng);
            assertTrue(r.passed(), () -> layer.describe() + "\n" + r);
        }
    }

    /**
     * Dense and the functional affine pair against sums written out entry by entry (not the functions Dense itself
     * calls), and against each other; the functional dx also against finite differences.
     */
    @Test
    void functionalStyleAndLayerObjectsMatchTheFormulasWrittenOut() {
        NumpyRandom rng = new NumpyRandom(2);
        Matrix x = rng.randn(4, 3);
        Matrix w = rng.randn(3, 2);
        Matrix b = rng.randn(1, 2);
        Matrix dout = rng.randn(4, 2);
        Matrix out = new Matrix(4, 2);
        Matrix dx = new Matrix(4, 3);
        Matrix dW = new Matrix(3, 2);
        Matrix db = new Matrix(1, 2);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                double s = b.get(0, j);
                for (int k = 0; k < 3; k++) {
                    s += x.get(i, k) * w.get(k, j);
                }
                out.set(i, j, s);
                db.set(0, j, db.get(0, j) + dout.get(i, j));
            }
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < 2; j++) {
                    dx.set(i, k, dx.get(i, k) + dout.get(i, j) * w.get(k, j));
                    dW.set(k, j, dW.get(k, j) + x.get(i, k) * dout.get(i, j));
                }
            }
        }
        var fwd = LayerFunctions.affineForward(x, w, b);
        var grads = LayerFunctions.affineBackward(dout, fwd.cache());
        Dense dense = new Dense("1", w, b);
        Matrix denseOut = dense.forward(x);
        Matrix denseDx = dense.backward(dout);
        for (Matrix[] pair : new Matrix[][] {{out, fwd.out()}, {out, denseOut}, {dx, grads.dx()}, {dx, denseDx},
                {dW, grads.dW()}, {dW, dense.grads().get("W1")}, {db, grads.db()}, {db, dense.grads().get("b1")}}) {
            assertTrue(GradCheck.relError(pair[0], pair[1]) < 1e-12, pair[0] + " vs " + pair[1]);
        }
        // and the functional gradients are right
        Function<Matrix, Double> f = xx -> LayerFunctions.affineForward(xx, w, b).out().mul(dout).sum();
        Matrix num = GradCheck.numericalGradient(() -> f.apply(x), x, 1e-5);
        assertTrue(GradCheck.relError(grads.dx(), num) < THRESHOLD);
    }

    @Test
    void twoLayerNetWithSoftmaxAndRegularization() {
        NumpyRandom rng = new NumpyRandom(3);
        Sequential net = new Sequential(
                new Dense("1", 2, 10, Init.normal(1.0), Init.normal(0.5), rng), Activation.tanh(),
                new Dense("2", 10, 3, Init.normal(1.0), rng));
        GradCheckReport r = GradCheck.of(net, new SoftmaxCrossEntropy(), Regularizer.l2Half(0.1), rng.randn(8, 2),
                Targets.labels(0, 1, 2, 0, 1, 2, 1, 1)).run();
        assertTrue(r.passed(), r::toString);
        assertEquals(4, r.entries().size());
    }

    @Test
    void wrongRegularizationGradientIsCaughtAndNamed() {
        // loss λ·ΣW² with the gradient λ·W (the slip of the spiral NN-vs-SVM listing)
        NumpyRandom rng = new NumpyRandom(4);
        Matrix x = rng.randn(10, 2);
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
        Matrix w1 = rng.randn(2, 5);
        Matrix w2 = rng.randn(5, 3);
        double lambda = 0.1;
        Map<String, Matrix> params = new LinkedHashMap<>();
        params.put("W1", w1);
        params.put("W2", w2);
        var loss = new SoftmaxCrossEntropy();
        var f = (java.util.function.DoubleSupplier) () -> loss.value(x.dot(w1).tanh().dot(w2), Targets.labels(y))
                + lambda * (w1.sumOfSquares() + w2.sumOfSquares());
        var fc1 = LayerFunctions.affineForward(x, w1, Matrix.zeros(1, 5));
        var act = LayerFunctions.tanhForward(fc1.out());
        var fc2 = LayerFunctions.affineForward(act.out(), w2, Matrix.zeros(1, 3));
        var d = loss.evaluate(fc2.out(), Targets.labels(y)).dscores();
        var g2 = LayerFunctions.affineBackward(d, fc2.cache());
        var g1 = LayerFunctions.affineBackward(LayerFunctions.tanhBackward(g2.dx(), act.out()), fc1.cache());
        Map<String, Matrix> wrong = new LinkedHashMap<>();
        wrong.put("W1", g1.dW().add(w1.times(2 * lambda))); // right
        wrong.put("W2", g2.dW().add(w2.times(lambda)));     // wrong: should be 2λ·W2
        GradCheckReport r = GradCheck.of(params, f).against(wrong).run();
        assertFalse(r.passed());
        assertEquals(java.util.List.of("W2"), r.failures());
        assertTrue(r.toString().contains("FAIL"), r::toString);
    }

    @Test
    void sampledEntriesAreSeededAndBounded() {
        NumpyRandom rng = new NumpyRandom(5);
        Dense dense = new Dense("1", 30, 20, Init.normal(1.0), rng);
        Matrix x = rng.randn(4, 30);
        Matrix g = rng.randn(4, 20);
        dense.forward(x);
        dense.backward(g);
        GradCheckReport r = GradCheck.of(dense.params(), () -> dense.forward(x).mul(g).sum())
                .against(dense.grads()).maxEntriesPerParam(50, 9).run();
        assertEquals(50, r.entry("W1").checked());
        assertEquals(20, r.entry("b1").checked());
        assertTrue(r.passed(), r::toString);
    }
}
