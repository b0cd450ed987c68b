package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import nnlab.Golden;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import org.junit.jupiter.api.Test;

/** Generated data equals its numpy / scikit-learn twin for the same seed. */
class DatasetsTest {
    private static final double TRIG_TOL = 1e-14; // libm and Java may differ in the last bit of sin/cos

    @Test
    void spiralMatchesTheCaseStudy() {
        Dataset d = Datasets.spiral(100, 3, 0.2, new NumpyRandom(0));
        assertArrayEquals(Golden.doubles("spiral_seed0_X"), d.X().data(), TRIG_TOL);
        assertArrayEquals(Golden.ints("spiral_seed0_y"), d.y());
    }

    @Test
    void moonsMatchScikitLearn() {
        Dataset d = Datasets.moons(100, 0.1, true, new NumpyRandom(0));
        assertArrayEquals(Golden.doubles("moons_100_noise01_seed0_X"), d.X().data(), TRIG_TOL);
        assertArrayEquals(Golden.ints("moons_100_noise01_seed0_y"), d.y());
        Dataset plain = Datasets.moons(7, 0, false, new NumpyRandom(0));
        assertArrayEquals(Golden.doubles("moons_7_noshuffle_X"), plain.X().data(), TRIG_TOL);
    }

    @Test
    void moonsTransformOfTheExercise() {
        Matrix t = Datasets.signs(new int[] {0, 1, 1});
        assertArrayEquals(new double[] {-1, 1, 1}, t.data());
        assertArrayEquals(new double[] {-1, 1}, Datasets.scaleToSymmetric(Matrix.rowVector(0, 1)).data());
    }

    @Test
    void lectureSyntheticDataAndSine() {
        Dataset d = Datasets.synthetic2d(400, new NumpyRandom(0));
        assertArrayEquals(Golden.doubles("synthetic2d_seed0_X"), d.X().data(), 0.0);
        assertArrayEquals(Golden.ints("synthetic2d_seed0_y"), d.y());
        Datasets.Regression s = Datasets.sine(100, 0.1, new NumpyRandom(0));
        assertArrayEquals(Golden.doubles("sine_seed0_x"), s.x().data(), 0.0);
        assertArrayEquals(Golden.doubles("sine_seed0_y"), s.y().data(), TRIG_TOL);
    }

    @Test
    void meshgridRowsAreNumpysRavelOrder() {
        Matrix g = Matrix.meshgrid(0, 1, 10, 20, 2);
        assertEquals(4, g.rows());
        assertArrayEquals(new double[] {0, 10, 1, 10, 0, 20, 1, 20}, g.data());
    }
}
