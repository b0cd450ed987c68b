package nnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import nnlab.data.Dataset;
import nnlab.data.Datasets;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Sequential;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.math.NumpyRandom;
import nnlab.optim.GradientDescent;
import org.junit.jupiter.api.Test;

/** showProgress(): one line updated in place while training, then a summary with the final numbers. */
class TrainerProgressTest {
    @Test
    void progressEndsWithASummaryOfTheRun() {
        NumpyRandom rng = new NumpyRandom(0);
        Dataset d = Datasets.spiral(50, 3, 0.2, rng);
        Sequential net = new Sequential(new Dense("", 2, 3, Init.scaledNormal(0.01), rng));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        History h;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            h = new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(1.0)).fullBatch(200)
                    .showProgress().fit(d.X(), d.targets());
        } finally {
            System.setOut(saved);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, String.join("|", lines));
        assertTrue(lines[0].contains("200/200 100%"), lines[0]);
        String expected = String.format(java.util.Locale.ROOT, "loss %.4f, training accuracy %.1f%%", h.finalLoss(),
                100 * h.finalTrainAccuracy());
        assertTrue(lines[1].matches("trained 200 iterations in [0-9.]+ s: " + expected.replace(".", "\\.")), lines[1]);
    }
}
