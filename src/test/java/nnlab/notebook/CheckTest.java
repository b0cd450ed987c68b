package nnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import nnlab.math.Matrix;
import org.junit.jupiter.api.Test;

class CheckTest {
    @Test
    void nearSaysWhatWasExpectedAndByHowMuchItIsOff() {
        CheckFailure e = assertThrows(CheckFailure.class, () -> Check.near("softmax-loss", 0.5, 1.0986123, 1e-3));
        assertEquals("check failed: softmax-loss: value is 0.5, expected 1.09861 ± 0.001 (off by 0.599)",
                e.getMessage());
        assertFalse(e.result().passed());
        Check.near("x", 1.0005, 1, 1e-3);   // passes: no exception
        assertThrows(CheckFailure.class, () -> Check.near("nan", Double.NaN, 1, 1));
    }

    @Test
    void equalAndThat() {
        assertEquals("check failed: params: value is 120, expected 124",
                assertThrows(CheckFailure.class, () -> Check.equal("params", 120, 124)).getMessage());
        assertEquals("check failed: shape: dscores must be 300x3",
                assertThrows(CheckFailure.class, () -> Check.that("shape", false, "dscores must be 300x3"))
                        .getMessage());
        assertEquals("shape: ok", Check.result.that("shape", true, "never shown").message());
    }

    @Test
    void matrixNamesTheWorstEntry() {
        Matrix expected = Matrix.of(new double[] {1, 2}, new double[] {3, 4});
        Matrix actual = Matrix.of(new double[] {1, 2}, new double[] {3, 10});
        assertEquals("check failed: dscores: differs at [1,1]: relative error 0.429 (yours 10, expected 4)",
                assertThrows(CheckFailure.class, () -> Check.matrix("dscores", actual, expected, 1e-6))
                        .getMessage());
        assertEquals("check failed: dscores: has shape (1x2), expected (2x2)",
                assertThrows(CheckFailure.class, () -> Check.matrix("dscores", Matrix.rowVector(1, 2), expected, 1e-6))
                        .getMessage());
        assertEquals("same: ok", Check.result.matrix("same", expected.copy(), expected, 1e-12).message());
    }

    /** loss = sum(W1 .* W1) / 2 + sum(b1): gradients W1 and ones. */
    @Test
    void gradientsReportEachParameterWithTheLibrarysGradCheck() {
        Matrix w1 = Matrix.of(new double[] {0.5, -1}, new double[] {2, 0.25});
        Matrix b1 = Matrix.rowVector(0.1, 0.2);
        Map<String, Matrix> params = new LinkedHashMap<>();
        params.put("W1", w1);
        params.put("b1", b1);
        DoubleSupplier loss = () -> {
            double s = 0;
            for (int k = 0; k < w1.size(); k++) {
                s += w1.get(k) * w1.get(k) / 2;
            }
            return s + b1.get(0) + b1.get(1);
        };
        Map<String, Matrix> right = Map.of("W1", w1.copy(), "b1", Matrix.rowVector(1, 1));
        Check.gradients("gradients", params, loss, right);
        assertEquals("gradients: dW1 ok; db1 ok", Check.result.gradients("gradients", params, loss, right,
                Check.GRADIENT_TOLERANCE).message());

        Matrix wrong = w1.copy();
        wrong.set(1, 0, 2 * 0.41);   // |0.82 - 2| / 2.82 = 0.418
        CheckResult r = Check.result.gradients("gradients", params, loss, Map.of("W1", wrong, "b1",
                Matrix.rowVector(1, 1)), Check.GRADIENT_TOLERANCE);
        assertEquals("gradients: dW1 differs at [1,0]: relative error 0.418 (yours 0.82, numerical 2); db1 ok",
                r.message());
        assertEquals(0.5, r.fraction());
        assertEquals(1.5, r.score(3));
        assertEquals(0.5, w1.get(0, 0), "parameters are restored");

        CheckFailure e = assertThrows(CheckFailure.class, () -> Check.gradients("g", params, loss,
                Map.of("W1", Matrix.zeros(1, 2), "b1", Matrix.rowVector(1, 1))));
        assertEquals("check failed: g: dW1 has shape (1x2), expected (2x2) (the shape of W1); db1 ok",
                e.getMessage());
    }

    @Test
    void anUnimplementedStepPropagatesItsTodo() {
        DoubleSupplier todo = () -> {
            throw new UnsupportedOperationException("TODO: compute the loss");
        };
        Matrix x = Matrix.rowVector(1.0);
        assertThrows(UnsupportedOperationException.class, () -> Check.gradient("g", "x", x, todo, x));
    }
}
