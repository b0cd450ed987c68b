package nnlab.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import nnlab.Golden;
import org.junit.jupiter.api.Test;

/** Bit-for-bit agreement with numpy's legacy RandomState, against values numpy wrote on this machine. */
class NumpyRandomTest {
    @Test
    void randomSampleMatchesNumpy() {
        NumpyRandom rng = new NumpyRandom(0);
        double[] expected = Golden.doubles("rand_seed0");
        for (double e : expected) {
            assertEquals(e, rng.randomSample(), 0.0);
        }
        assertArrayEquals(Golden.doubles("rand_seedmax"), new NumpyRandom(4294967295L).rand(1, 3).data(), 0.0);
    }

    @Test
    void randnMatchesNumpyIncludingTheCachedSecondValue() {
        assertArrayEquals(Golden.doubles("randn_seed42"), new NumpyRandom(42).randn(11), 0.0);
    }

    @Test
    void interleavedDrawsStayInStep() {
        NumpyRandom rng = new NumpyRandom(7);
        double[] got = new double[8];
        double[] n3 = rng.randn(3);
        System.arraycopy(n3, 0, got, 0, 3);
        got[3] = rng.randomSample();
        got[4] = rng.randomSample();
        got[5] = rng.standardNormal();
        got[6] = rng.normal(2.0, 3.0);
        got[7] = rng.uniform(-1, 2);
        assertArrayEquals(Golden.doubles("interleaved_seed7"), got, 0.0);
    }

    @Test
    void randintMatchesNumpy() {
        NumpyRandom rng = new NumpyRandom(1);
        assertArrayEquals(Golden.ints("randint_seed1_0_10"), rng.randint(0, 10, 20));
        assertArrayEquals(Golden.ints("randint_seed1_m5_1000"), rng.randint(-5, 1000, 10));
        long[] big = new long[3];
        for (int i = 0; i < 3; i++) {
            big[i] = rng.randint(0, 1L << 40);
        }
        assertArrayEquals(Golden.longs("randint_seed1_big"), big);
    }

    @Test
    void permutationShuffleAndChoiceMatchNumpy() {
        NumpyRandom rng = new NumpyRandom(3);
        assertArrayEquals(Golden.ints("permutation_seed3_10"), rng.permutation(10));
        int[] a = new int[17];
        Arrays.setAll(a, i -> i);
        rng.shuffle(a);
        assertArrayEquals(Golden.ints("shuffle_seed3_17"), a);

        NumpyRandom r5 = new NumpyRandom(5);
        assertArrayEquals(Golden.ints("choice_seed5_noreplace"), r5.choice(10, 5, false));
        assertArrayEquals(Golden.ints("choice_seed5_replace"), r5.choice(10, 5, true));
        assertArrayEquals(Golden.ints("choice_seed5_p"), r5.choice(4, 6, new double[] {0.1, 0.2, 0.3, 0.4}));
    }

    @Test
    void normalAndUniformMatricesMatchNumpy() {
        NumpyRandom rng = new NumpyRandom(9);
        assertArrayEquals(Golden.doubles("normal_seed9"), rng.normal(2.0, 3.0, 2, 3).data(), 0.0);
        assertArrayEquals(Golden.doubles("uniform_seed9"), rng.uniform(-1, 2, 2, 2).data(), 0.0);
    }

    @Test
    void reseedingRestartsTheStream() {
        NumpyRandom rng = new NumpyRandom(11);
        double first = rng.standardNormal(); // leaves a cached value behind
        rng.seed(11);
        assertEquals(first, rng.standardNormal(), 0.0);
    }

    @Test
    void invalidArgumentsAreRejectedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NumpyRandom(-1));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        NumpyRandom rng = new NumpyRandom(0);
        assertThrows(IllegalArgumentException.class, () -> rng.randint(5, 5));
        e = assertThrows(IllegalArgumentException.class, () -> rng.choice(3, 4, false));
        assertTrue(e.getMessage().contains("without replacement"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rng.choice(2, 1, new double[] {0.5, 0.6}));
    }
}
