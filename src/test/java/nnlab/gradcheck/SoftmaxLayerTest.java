package nnlab.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.layers.Activation;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Sequential;
import nnlab.layers.Softmax;
import nnlab.loss.Regularizer;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.optim.Adam;
import nnlab.train.Trainer;
import org.junit.jupiter.api.Test;

/** The softmax layer's backward pass, alone and inside the seed's double-softmax network, trained by Trainer.fit. */
class SoftmaxLayerTest {
    @Test
    void backwardMatchesFiniteDifferences() {
        NumpyRandom rng = new NumpyRandom(3);
        Softmax s = new Softmax();
        Matrix x = rng.randn(5, 4).times(2);
        Matrix out = s.forward(x);
        assertTrue(out.rowSums().approxEquals(Matrix.ones(5, 1), 1e-12));
        Matrix g = rng.randn(5, 4);
        Matrix dx = s.backward(g);
        Matrix numeric = GradCheck.numericalGradient(() -> new Softmax().forward(x).mul(g).sum(), x, 1e-5);
        assertTrue(GradCheck.relError(dx, numeric) < 1e-7, () -> "dx " + dx + " vs " + numeric);
    }

    @Test
    void doubleSoftmaxNetworkGradientsOnTheTrainingPath() {
        NumpyRandom rng = new NumpyRandom(4);
        Sequential net = new Sequential(new Dense("1", 6, 5, Init.normal(0.5), rng), Activation.sigmoid(),
                new Dense("2", 5, 3, Init.normal(0.5), rng), new Softmax());
        Matrix x = rng.randn(8, 6);
        Targets y = Targets.labels(new int[] {0, 1, 2, 0, 1, 2, 2, 1});
        GradCheckReport r = GradCheck.of(net, new SoftmaxCrossEntropy(), Regularizer.none(), x, y).run();
        assertTrue(r.passed(), r::toString);
        // one step of fit equals one step by hand through the plain path
        Sequential twin = new Sequential(new Dense("1", net.param("W1").copy(), net.param("b1").copy()),
                Activation.sigmoid(), new Dense("2", net.param("W2").copy(), net.param("b2").copy()), new Softmax());
        new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new Adam(1e-3)).fullBatch(1).fit(x, y);
        new Trainer(twin, new SoftmaxCrossEntropy()).lossAndGradients(x, y);
        new Adam(1e-3).step(twin.params(), twin.grads());
        for (String name : net.params().keySet()) {
            assertEquals(twin.param(name), net.param(name), name);
        }
    }
}
