package nnlab.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link Matrix#colSums()} adds each column row after row from zero, as numpy does, whatever the width: the blocks
 * of four vectors, the single vectors and the scalar columns past the last full vector all give the bits of the plain
 * loop.
 */
class ColumnSumsTest {
    @Test
    void everyWidthGivesThePlainLoopsBits() {
        for (int rows : new int[] {1, 7, 300}) {
            for (int cols = 1; cols <= 100; cols += cols < 41 ? 1 : 59) {
                Matrix m = new NumpyRandom(rows * 1000L + cols).randn(rows, cols).times(1e3);
                Matrix sums = m.colSums();
                for (int j = 0; j < cols; j++) {
                    double s = 0;
                    for (int i = 0; i < rows; i++) {
                        s += m.get(i, j);
                    }
                    assertEquals(Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(sums.get(0, j)),
                            rows + "x" + cols + ", column " + j + ": " + sums.get(0, j) + " instead of " + s);
                }
            }
        }
    }
}
