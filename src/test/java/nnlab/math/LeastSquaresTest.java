package nnlab.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeastSquaresTest {
    @Test
    void recoversAnExactSolutionAndSatisfiesTheNormalEquations() {
        NumpyRandom rng = new NumpyRandom(4);
        Matrix A = rng.randn(30, 4);
        Matrix xTrue = Matrix.columnVector(1.5, -2, 0.25, 3);
        Matrix exact = LeastSquares.solve(A, A.dot(xTrue));
        assertTrue(exact.approxEquals(xTrue, 1e-12), exact.toString());

        Matrix b = A.dot(xTrue).add(rng.randn(30, 1).times(0.1));
        Matrix x = LeastSquares.solve(A, b);
        Matrix residual = A.dot(x).sub(b);
        // At the minimum the residual is orthogonal to every column of A: Aᵀ(Ax - b) = 0.
        assertTrue(A.T().dot(residual).maxAbs() < 1e-12, "normal equations: " + A.T().dot(residual));
        assertEquals(4, x.rows());
    }

    @Test
    void dependentColumnsAndShapeMismatchAreNamed() {
        Matrix A = Matrix.of(new double[] {1, 2}, new double[] {2, 4}, new double[] {3, 6});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeastSquares.solve(A, Matrix.columnVector(1, 2, 3)));
        assertTrue(e.getMessage().contains("linearly dependent"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LeastSquares.solve(A, Matrix.columnVector(1, 2)));
        assertTrue(e.getMessage().contains("one row per row of A"), e.getMessage());
    }
}
