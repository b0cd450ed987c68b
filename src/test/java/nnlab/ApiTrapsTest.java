package nnlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.layers.Dense;
import nnlab.layers.Sequential;
import nnlab.loss.BinaryCrossEntropy;
import nnlab.loss.MeanSquaredError;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import org.junit.jupiter.api.Test;

/** The API traps of issue 10, each closed. */
class ApiTrapsTest {
    @Test
    void predictRefusesAOneLogitModelAndSaysWhatToUse() {
        Sequential binary = new Sequential(new Dense("1", Matrix.columnVector(1.0, -1.0), Matrix.rowVector(0.0)));
        Matrix x = Matrix.of(new double[] {2, 1}, new double[] {0, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> binary.predict(x));
        assertTrue(e.getMessage().contains("loss.predict(model.forward(x))"), e.getMessage());
        assertArrayEquals(new int[] {1, 0}, new BinaryCrossEntropy().predict(binary.forward(x)));
    }

    @Test
    void meanSquaredErrorHasNoAccuracyButAnRSquared() {
        MeanSquaredError mse = new MeanSquaredError();
        Matrix t = Matrix.columnVector(1, 2, 3);
        Matrix y = Matrix.columnVector(1, 2, 4);
        assertTrue(Double.isNaN(mse.accuracy(y, Targets.values(t))));
        assertEquals(0.5, mse.rSquared(y, Targets.values(t)), 1e-15); // 1 - 1 / 2
    }

    @Test
    void aRowVectorIsNotRowI() {
        Matrix m = Matrix.of(new double[] {1, 2}, new double[] {3, 4});
        assertArrayEquals(new double[] {3, 4}, m.row(1).data());
        assertArrayEquals(new double[] {1}, Matrix.rowVector(1).data());
    }
}
