package nnlab.plot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import nnlab.data.Dataset;
import nnlab.data.Datasets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.train.History;
import org.junit.jupiter.api.Test;

/**
 * Pictures that are dropped are freed: after 60 plots of each of seven kinds and a full GC the heap holds no more
 * than it did before (within 50 MB). A 560x440 picture is about 1 MB of pixels, so one retained per plot would show
 * as hundreds of MB (issue 10 measured ~940 MB for 300 titled scatter plots).
 */
class PlotLeakTest {
    private static final Dataset D = Datasets.spiral(20, 3, 0.2, new NumpyRandom(0));
    private static final int PER_KIND = 60;

    @Test
    void droppedPlotsOfEveryKindAreFreed() {
        double[] x = {0, 1, 2, 3};
        Map<String, double[]> curves = Map.of("y", new double[] {0, 1, 4, 9});
        History h = new History("epoch");
        for (int i = 0; i < 5; i++) {
            h.record(i, 1.0 / (i + 1), 0.5 + 0.1 * i, Double.NaN, Double.NaN);
        }
        double[] box = Plots.bounds(D.X(), 0.5);
        Matrix digits = new NumpyRandom(1).rand(12, 64);
        Map<String, IntFunction<BufferedImage>> kinds = new LinkedHashMap<>();
        kinds.put("titled scatter", i -> Plots.titled("t" + i, Plots.scatter("s" + i, D.X(), D.y())));
        kinds.put("lines", i -> Plots.lines("l" + i, "x", "y", x, curves));
        kinds.put("points and curves", i -> Plots.pointsAndCurves("p" + i, "x", "y",
                Matrix.columnVector(0, 1, 2, 3), Matrix.columnVector(0, 1, 4, 9), x, curves));
        kinds.put("history", i -> Plots.history("h" + i, h));
        kinds.put("decision regions", i -> Plots.decisionRegions("d" + i, D.X(), D.y(), g -> g.col(0).argmaxRows(),
                box));
        kinds.put("binary regions", i -> Plots.binaryRegions("b" + i, D.X(), D.y(), g -> g.col(0), 0.0, box, 200,
                160));
        kinds.put("grid of mosaics", i -> Plots.grid(2, Plots.mosaic(digits, 8, 8, 4, false, 4),
                Plots.mosaic(digits, 8, 8, 4, true, 4)));
        long before = retainedAfterGc();
        for (Map.Entry<String, IntFunction<BufferedImage>> k : kinds.entrySet()) {
            long sink = 0;
            for (int i = 0; i < PER_KIND; i++) {
                BufferedImage img = k.getValue().apply(i);
                sink += img.getWidth();
                if (i == 0) {
                    sink += Plots.svg(img).length(); // the vector form is still there while the picture lives
                }
            }
            long retained = retainedAfterGc() - before;
            assertTrue(retained < 50L << 20, PER_KIND + " dropped " + k.getKey() + " plots keep "
                    + (retained >> 20) + " MB after GC (" + sink + ")");
        }
    }

    private static long retainedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
