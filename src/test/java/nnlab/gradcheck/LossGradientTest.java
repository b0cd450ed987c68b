package nnlab.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import nnlab.loss.BinaryCrossEntropy;
import nnlab.loss.Loss;
import nnlab.loss.MeanSquaredError;
import nnlab.loss.PerceptronLoss;
import nnlab.loss.Regularizer;
import nnlab.loss.SigmoidCrossEntropy;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import org.junit.jupiter.api.Test;

/** Every loss's dLoss/dScores and every regularizer's gradient against finite differences. */
class LossGradientTest {
    private static void assertGradientMatches(Loss loss, Matrix scores, Targets t) {
        Matrix analytic = loss.evaluate(scores, t).dscores();
        GradCheckReport r = GradCheck.of(Map.of("scores", scores), () -> loss.value(scores, t))
                .against(Map.of("scores", analytic)).run();
        assertTrue(r.passed(), () -> loss.name() + "\n" + r);
    }

    @Test
    void softmaxCrossEntropy() {
        NumpyRandom rng = new NumpyRandom(0);
        assertGradientMatches(new SoftmaxCrossEntropy(), rng.randn(6, 4), Targets.labels(0, 3, 2, 1, 1, 0));
        Matrix soft = rng.rand(3, 4);
        assertGradientMatches(new SoftmaxCrossEntropy(), rng.randn(3, 4), Targets.values(soft.divColumn(soft.rowSums())));
    }

    @Test
    void softmaxCrossEntropyValueIsMeanNegativeLogProbability() {
        Matrix s = Matrix.of(new double[] {0, 0, 0}, new double[] {1, 2, 3});
        double expected = (Math.log(3) + (Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3)) / 2;
        assertEquals(expected, new SoftmaxCrossEntropy().value(s, Targets.labels(0, 2)), 1e-15);
    }

    @Test
    void binaryCrossEntropyOnLogits() {
        NumpyRandom rng = new NumpyRandom(1);
        assertGradientMatches(new BinaryCrossEntropy(), rng.randn(7, 1), Targets.labels(0, 1, 1, 0, 1, 0, 0));
        Matrix t = rng.rand(4, 3).map(v -> v > 0.5 ? 1 : 0);
        assertGradientMatches(new BinaryCrossEntropy(), rng.randn(4, 3), Targets.values(t));
        // no overflow for confident wrong answers
        double big = new BinaryCrossEntropy().value(Matrix.columnVector(800), Targets.labels(0));
        assertEquals(800, big, 1e-9);
    }

    @Test
    void sigmoidCrossEntropyPerOutput() {
        NumpyRandom rng = new NumpyRandom(2);
        assertGradientMatches(new SigmoidCrossEntropy(), rng.randn(5, 10), Targets.labels(9, 0, 3, 3, 7));
    }

    @Test
    void meanSquaredError() {
        NumpyRandom rng = new NumpyRandom(3);
        assertGradientMatches(new MeanSquaredError(), rng.randn(6, 2), Targets.values(rng.randn(6, 2)));
    }

    @Test
    void perceptronError() {
        NumpyRandom rng = new NumpyRandom(4);
        Matrix y = rng.randn(8, 1).map(v -> v >= 0 ? v + 0.1 : v - 0.1); // away from the kink at 0
        Matrix t = Matrix.columnVector(1, -1, 1, -1, -1, 1, 1, -1);
        assertGradientMatches(new PerceptronLoss(), y, Targets.values(t));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PerceptronLoss().value(y, Targets.values(Matrix.columnVector(1, 0, 1, 0, 0, 1, 1, 0))));
        assertTrue(e.getMessage().contains("not ±1"), e.getMessage());
    }

    @Test
    void regularizersInBothL2ConventionsAndL1() {
        NumpyRandom rng = new NumpyRandom(5);
        Matrix w = rng.randn(3, 4).map(v -> v >= 0 ? v + 0.1 : v - 0.1);
        for (Regularizer reg : new Regularizer[] {Regularizer.l2Half(0.3), Regularizer.l2(0.3), Regularizer.l1(0.3)}) {
            Matrix g = Matrix.zeros(3, 4);
            reg.addGradient(w, g);
            GradCheckReport r = GradCheck.of(Map.of("W", w), () -> reg.penalty(w)).against(Map.of("W", g)).run();
            assertTrue(r.passed(), () -> reg + "\n" + r);
        }
        assertEquals(0.5 * 0.3 * w.sumOfSquares(), Regularizer.l2Half(0.3).penalty(w), 1e-15);
        assertEquals(0.3 * w.sumOfSquares(), Regularizer.l2(0.3).penalty(w), 1e-15);
    }

    @Test
    void wrongLabelsAreRejectedWithWhatWasExpected() {
        Matrix s = new Matrix(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxCrossEntropy().value(s, Targets.labels(0, 4, 1)));
        assertTrue(e.getMessage().contains("label 4 at index 1 is outside [0, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxCrossEntropy().value(s, Targets.labels(0, 1)));
        assertTrue(e.getMessage().contains("2 targets for 3 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxCrossEntropy().value(s, Targets.labels(1, 2, -1)));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }
}
