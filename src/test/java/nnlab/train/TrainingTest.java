package nnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nnlab.Golden;
import nnlab.data.Dataset;
import nnlab.data.Datasets;
import nnlab.layers.Activation;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Sequential;
import nnlab.loss.BinaryCrossEntropy;
import nnlab.loss.Regularizer;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.optim.Adam;
import nnlab.optim.GradientDescent;
import nnlab.optim.Momentum;
import org.junit.jupiter.api.Test;

/** The case study's numbers, reproduced through the library's own training loop. */
class TrainingTest {
    private static Sequential twoLayerNet(NumpyRandom rng) {
        return new Sequential(new Dense("1", 2, 100, Init.scaledNormal(0.01), rng), Activation.relu(),
                new Dense("2", 100, 3, Init.scaledNormal(0.01), rng));
    }

    @Test
    void softmaxLinearClassifierOnTheSpiral() {
        NumpyRandom rng = new NumpyRandom(0);
        Dataset d = Datasets.spiral(100, 3, 0.2, rng);
        Sequential linear = new Sequential(new Dense("", 2, 3, Init.scaledNormal(0.01), rng));
        History h = new Trainer(linear, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(1.0))
                .regularizer(Regularizer.l2Half(1e-3)).fullBatch(200).fit(d.X(), d.targets());
        double[] golden = Golden.doubles("spiral_seed0_softmax_final_loss_accuracy");
        assertEquals(golden[0], h.finalLoss(), 1e-9);
        assertEquals(0.786, h.finalLoss(), 0.01);
        assertEquals(1.0986, h.losses()[0], 0.01, "starts near log 3");
        double acc = nnlab.math.Labels.accuracy(linear.predict(d.X()), d.y());
        assertTrue(acc >= 0.45 && acc <= 0.53, "training accuracy " + acc);
        assertEquals(golden[1], acc, 1e-12);
    }

    @Test
    void twoLayerNetReproducesNumpyToOneMillionth() {
        NumpyRandom rng = new NumpyRandom(0);
        Dataset d = Datasets.spiral(100, 3, 0.2, rng);
        Sequential net = twoLayerNet(rng);
        List<Progress> seen = new ArrayList<>();
        History h = new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(1.0))
                .regularizer(Regularizer.l2Half(1e-3)).fullBatch(10_000).every(1000, seen::add)
                .fit(d.X(), d.targets());
        double[] golden = Golden.doubles("spiral_seed0_2layer_final_loss_accuracy");
        // The two runs agree to ~1e-13 for 5000 iterations; after that, ReLU units that sit at 0 on some points
        // amplify last-bit differences (numpy's own result moves by ~8e-7 between OpenBLAS kernels), so 1e-6 is
        // as tight as a different implementation can honestly be held.
        assertEquals(golden[0], h.finalLoss(), 1e-6);
        assertTrue(h.finalLoss() <= 0.26, "final loss " + h.finalLoss());
        double acc = nnlab.math.Labels.accuracy(net.predict(d.X()), d.y());
        assertTrue(acc >= 0.97, "training accuracy " + acc);
        assertEquals(11, seen.size(), "callbacks at 0, 1000, ..., 9000 and the last iteration");
        assertEquals(10_000, h.toTable().rowCount());
    }

    /**
     * fit() runs the layers' buffer-reusing path (outputs overwritten in place); it must give bit for bit the
     * parameters of the plain, allocating path, for every activation, and never touch the caller's data.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"relu", "sigmoid", "tanh"})
    void theTrainingLoopsBufferReuseChangesNoBit(String activation) {
        Dataset d = Datasets.spiral(40, 3, 0.2, new NumpyRandom(3));
        Matrix dataBefore = d.X().copy();
        Sequential[] nets = new Sequential[2];
        for (int k = 0; k < 2; k++) {
            NumpyRandom rng = new NumpyRandom(5);
            Activation act = switch (activation) {
                case "relu" -> Activation.relu();
                case "sigmoid" -> Activation.sigmoid();
                default -> Activation.tanh();
            };
            // An activation first as well: its input is the caller's data, which must not be overwritten.
            nets[k] = new Sequential(Activation.tanh(), new Dense("1", 2, 20, Init.scaledNormal(0.5), rng), act,
                    new Dense("2", 20, 3, Init.scaledNormal(0.5), rng));
        }
        new Trainer(nets[0], new SoftmaxCrossEntropy()).optimizer(new GradientDescent(0.5))
                .regularizer(Regularizer.l2Half(1e-3)).fullBatch(60).fit(d.X(), d.targets());
        Trainer plain = new Trainer(nets[1], new SoftmaxCrossEntropy()).regularizer(Regularizer.l2Half(1e-3));
        GradientDescent gd = new GradientDescent(0.5);
        for (int i = 0; i < 60; i++) {
            plain.lossAndGradients(d.X(), d.targets());
            gd.step(nets[1].params(), nets[1].grads());
        }
        for (String name : nets[0].params().keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(nets[1].param(name).data(),
                    nets[0].param(name).data(), 0.0, name);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(dataBefore.data(), d.X().data(), 0.0,
                "the training data was modified");
    }

    @Test
    void miniBatchTrainingIsSeededAndLearns() {
        Dataset d = Datasets.synthetic2d(400, new NumpyRandom(0));
        double[] finals = new double[2];
        for (int run = 0; run < 2; run++) {
            NumpyRandom rng = new NumpyRandom(1);
            Sequential net = new Sequential(new Dense("1", 2, 4, Init.normal(1.0), rng), Activation.sigmoid(),
                    new Dense("2", 4, 1, Init.normal(1.0), rng));
            History h = new Trainer(net, new BinaryCrossEntropy()).optimizer(new Adam(0.03))
                    .miniBatches(100, 300, 42).fit(d.X(), d.targets());
            finals[run] = h.finalLoss();
            assertTrue(h.finalTrainAccuracy() > 0.8, "accuracy " + h.finalTrainAccuracy());
            assertEquals("epoch", h.toTable().columnNames().get(0));
        }
        assertEquals(finals[0], finals[1], 0.0, "same seeds, same result");
    }

    @Test
    void momentumDescendsToo() {
        NumpyRandom rng = new NumpyRandom(0);
        Dataset d = Datasets.spiral(100, 3, 0.2, rng);
        Sequential net = twoLayerNet(rng);
        History h = new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new Momentum(0.5, 0.9))
                .fullBatch(500).validation(d.X(), d.targets()).fit(d.X(), d.targets());
        assertTrue(h.finalLoss() < 0.5 * h.losses()[0], "loss " + h.losses()[0] + " -> " + h.finalLoss());
        assertTrue(h.hasTestAccuracy());
    }

    @Test
    void divergenceStopsWithTheIterationAndTheLikelyCause() {
        NumpyRandom rng = new NumpyRandom(0);
        Dataset d = Datasets.spiral(100, 3, 0.2, rng);
        Sequential net = twoLayerNet(rng);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(1e200))
                        .fullBatch(100).fit(d.X(), d.targets()));
        assertTrue(e.getMessage().contains("at iteration " + e.iteration()), e.getMessage());
        assertTrue(e.getMessage().contains("step size 1.0E200"), e.getMessage());
        assertTrue(e.getMessage().contains("gradient check"), e.getMessage());
    }

    @Test
    void nanInTheInputsOrAParameterStopsTrainingNamingTheStepAndTheLearningRate() {
        NumpyRandom rng = new NumpyRandom(0);
        Dataset d = Datasets.spiral(20, 3, 0.2, rng);
        Sequential net = twoLayerNet(rng);
        Matrix x = d.X().copy();
        x.set(7, 1, Double.NaN);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(0.5))
                        .fullBatch(10).fit(x, d.targets()));
        assertTrue(e.getMessage().contains("before iteration 0 (learning rate 0.5)")
                && e.getMessage().contains("NaN at row 7, column 1"), e.getMessage());
        net.param("b2").set(0, 2, Double.NaN);
        e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(0.5))
                        .miniBatches(10, 3, 1).fit(d.X(), d.targets()));
        assertTrue(e.getMessage().contains("before iteration 0 (learning rate 0.5)")
                && e.getMessage().contains("parameter b2 (1x3) is NaN at [0, 2]"), e.getMessage());
        // A parameter that becomes infinite in an update: the iteration of that update is named.
        Sequential fresh = twoLayerNet(new NumpyRandom(0));
        e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(fresh, new nnlab.loss.MeanSquaredError()).optimizer(new GradientDescent(1e308))
                        .fullBatch(10).fit(d.X(), Targets.values(Matrix.filled(60, 3, 1000.0))));
        assertTrue(e.getMessage().contains("at iteration " + e.iteration() + " (learning rate 1.0E308)")
                && e.getMessage().contains("after the update"), e.getMessage());
    }

    @Test
    void mismatchedDataIsRejected() {
        NumpyRandom rng = new NumpyRandom(0);
        Sequential net = twoLayerNet(rng);
        Trainer t = new Trainer(net, new SoftmaxCrossEntropy());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(new Matrix(5, 2), Targets.labels(0, 1, 2)));
        assertTrue(e.getMessage().contains("5 samples in X but 3 targets"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(new Matrix(2, 3), Targets.labels(0, 1)));
        assertTrue(e.getMessage().contains("3 features but the layer expects 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(new Matrix(2, 2), Targets.labels(0, 3)));
        assertTrue(e.getMessage().contains("label 3 at index 1 is outside [0, 3)"), e.getMessage());
    }
}
