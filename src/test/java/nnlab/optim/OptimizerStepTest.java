package nnlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import nnlab.math.Matrix;
import org.junit.jupiter.api.Test;

/** One and two steps of each optimizer against values worked out by hand from the update formulas. */
class OptimizerStepTest {
    private static final double TOL = 1e-15;

    @Test
    void gradientDescent() {
        Matrix w = Matrix.rowVector(new double[] {1.0, -2.0});
        new GradientDescent(0.1).step(Map.of("W", w), Map.of("W", Matrix.rowVector(new double[] {0.5, -3.0})));
        assertEquals(0.95, w.get(0, 0), TOL);   // 1 - 0.1·0.5
        assertEquals(-1.7, w.get(0, 1), TOL);   // -2 - 0.1·(-3)
    }

    @Test
    void momentumStepsOneAndTwo() {
        Matrix w = Matrix.rowVector(new double[] {1.0, -2.0});
        Matrix g = Matrix.rowVector(new double[] {0.5, -3.0});
        Momentum opt = new Momentum(0.1, 0.9);
        opt.step(Map.of("W", w), Map.of("W", g));
        // v1 = -η·g1 = (-0.05, 0.3); θ1 = θ0 + v1
        assertEquals(0.95, w.get(0, 0), TOL);
        assertEquals(-1.7, w.get(0, 1), TOL);
        g.set(0, 0, -0.25);
        g.set(0, 1, 1.0);
        opt.step(Map.of("W", w), Map.of("W", g));
        // v2 = μ·v1 - η·g2 = (0.9·(-0.05) + 0.025, 0.9·0.3 - 0.1) = (-0.02, 0.17); θ2 = θ1 + v2
        assertEquals(0.93, w.get(0, 0), 1e-15);
        assertEquals(-1.53, w.get(0, 1), 1e-15);
        opt.reset();
        opt.step(Map.of("W", w), Map.of("W", g));
        assertEquals(0.93 + 0.025, w.get(0, 0), 1e-15, "after reset the velocity starts from 0");
    }

    @Test
    void adamStepsOneAndTwoWithBiasCorrection() {
        Matrix w = Matrix.rowVector(new double[] {1.0, -2.0});
        Matrix g = Matrix.rowVector(new double[] {0.5, -3.0});
        Adam opt = new Adam(0.1, 0.9, 0.999, 1e-8);
        opt.step(Map.of("W", w), Map.of("W", g));
        // t = 1: m = 0.1·g = (0.05, -0.3), v = 0.001·g² = (0.00025, 0.009); the corrections 1-0.9 and 1-0.999 give
        // m̂ = g and v̂ = g², so each weight moves by η·g/(|g| + ε) = η·sign(g)·(1 - ε/|g|) (without the correction
        // it would move by 0.1·0.05/√0.00025 = 0.316):
        // θ1 = 1 - 0.1·0.5/(0.5 + 1e-8) = 0.900000002,  -2 + 0.1·3/(3 + 1e-8) = -1.9000000003333333
        assertEquals(0.900000002, w.get(0, 0), TOL);
        assertEquals(-1.9000000003333333, w.get(0, 1), TOL);
        g.set(0, 0, -0.25);
        g.set(0, 1, 1.0);
        opt.step(Map.of("W", w), Map.of("W", g));
        // t = 2: m = 0.9·m + 0.1·g = (0.02, -0.17), v = 0.999·v + 0.001·g² = (0.00031225, 0.009991);
        // m̂ = m/0.19, v̂ = v/0.001999; θ2 = θ1 - 0.1·m̂/(√v̂ + 1e-8):
        // 0.900000002 - 0.1·0.105263157894737/(0.395225381... + 1e-8) = 0.8733662987078463
        // -1.9000000003333333 + 0.1·0.894736842105263/(2.235663... + 1e-8) = -1.8599781433169098
        assertEquals(0.8733662987078463, w.get(0, 0), 1e-14);
        assertEquals(-1.8599781433169098, w.get(0, 1), 1e-14);
    }
}
