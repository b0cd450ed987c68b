package nnlab.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Runs.addTo adds exactly the run it is given, vector lanes and scalar tail alike, and nothing around it. */
class RunsTest {
    @Test
    void addToAddsEachElementOfTheRunOnceAndLeavesTheRestAlone() {
        Random random = new Random(3);
        for (int n = 0; n <= 40; n++) {
            for (int s = 0; s < 3; s++) {
                for (int d = 0; d < 3; d++) {
                    double[] src = random.doubles(n + 5).toArray();
                    double[] dst = random.doubles(n + 6).toArray();
                    double[] expected = dst.clone();
                    for (int j = 0; j < n; j++) {
                        expected[d + j] = expected[d + j] + src[s + j];
                    }
                    Runs.addTo(src, s, dst, d, n);
                    assertArrayEquals(expected, dst, 0.0, "n " + n + ", offsets " + s + ", " + d);
                }
            }
        }
    }
}
