package nnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.data.Dataset;
import nnlab.data.Datasets;
import nnlab.layers.Activation;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Sequential;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.math.NumpyRandom;
import nnlab.optim.Adam;
import org.junit.jupiter.api.Test;

/** Mini-batch training with a test set records the test loss and accuracy of every epoch. */
class ValidationHistoryTest {
    @Test
    void everyEpochRecordsTestLossAndAccuracyOfTheModelAtThatTime() {
        NumpyRandom rng = new NumpyRandom(0);
        Dataset train = Datasets.spiral(60, 3, 0.2, rng);
        Dataset test = Datasets.spiral(30, 3, 0.2, rng);
        Sequential net = new Sequential(new Dense("1", 2, 20, Init.normal(0.5), rng), Activation.sigmoid(),
                new Dense("2", 20, 3, Init.normal(0.5), rng));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        History h = new Trainer(net, loss).optimizer(new Adam(1e-2)).miniBatches(30, 5, 1)
                .validation(test.X(), test.targets()).fit(train.X(), train.targets());
        assertEquals(5, h.size());
        assertTrue(h.hasTestLoss());
        double[] tl = h.testLosses();
        for (double v : tl) {
            assertFalse(Double.isNaN(v));
        }
        // the last row is the final model on the test set
        assertEquals(loss.evaluate(net.forward(test.X()), test.targets()).loss(), h.finalTestLoss(), 1e-15);
        assertEquals(loss.accuracy(net.forward(test.X()), test.targets()), h.finalTestAccuracy(), 1e-15);
        assertTrue(tl[4] < tl[0], "the test loss falls on this easy problem");
        assertEquals(5, h.toTable().column("test_loss").size());
    }

    @Test
    void withoutTestSetNothingIsRecorded() {
        NumpyRandom rng = new NumpyRandom(0);
        Dataset train = Datasets.spiral(20, 3, 0.2, rng);
        Sequential net = new Sequential(new Dense("1", 2, 3, Init.normal(0.5), rng));
        History h = new Trainer(net, new SoftmaxCrossEntropy()).miniBatches(10, 2, 1).fit(train.X(), train.targets());
        assertFalse(h.hasTestLoss());
        assertFalse(h.toTable().columnNames().contains("test_loss"));
    }
}
