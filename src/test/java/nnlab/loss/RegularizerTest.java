package nnlab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnlab.gradcheck.GradCheck;
import nnlab.gradcheck.GradCheckReport;
import nnlab.layers.Activation;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Layer;
import nnlab.layers.Sequential;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The regularizer penalises what the layers declare as weights ({@link Layer#weightNames()}), never what their names
 * look like: a student's layer with a weight "kernel" and a bias "Wb" is regularised exactly as it declares.
 */
class RegularizerTest {
    /** An affine layer whose names mislead a name-based guess: weight "kernel", bias "Wb". */
    static class OddlyNamed implements Layer {
        final Matrix kernel;
        final Matrix bias;
        private final boolean declares;
        private Matrix x;
        private Matrix dKernel;
        private Matrix dBias;

        OddlyNamed(int in, int out, NumpyRandom rng, boolean declares) {
            this.kernel = rng.randn(in, out).times(0.5);
            this.bias = rng.randn(1, out).times(0.5);
            this.declares = declares;
        }

        @Override
        public Matrix forward(Matrix x) {
            this.x = x;
            return x.dot(kernel).addRow(bias);
        }

        @Override
        public Matrix backward(Matrix dout) {
            dKernel = x.transpose().dot(dout);
            dBias = dout.colSums();
            return dout.dot(kernel.transpose());
        }

        @Override
        public Map<String, Matrix> params() {
            Map<String, Matrix> m = new LinkedHashMap<>();
            m.put("kernel", kernel);
            m.put("Wb", bias);
            return m;
        }

        @Override
        public Map<String, Matrix> grads() {
            Map<String, Matrix> m = new LinkedHashMap<>();
            if (dKernel != null) {
                m.put("kernel", dKernel);
                m.put("Wb", dBias);
            }
            return m;
        }

        @Override
        public Set<String> weightNames() {
            return declares ? Set.of("kernel") : Layer.super.weightNames();
        }

        @Override
        public String describe() {
            return "OddlyNamed";
        }
    }

    private static double squares(Matrix m) {
        double s = 0;
        for (int k = 0; k < m.size(); k++) {
            s += m.get(k) * m.get(k);
        }
        return s;
    }

    private static Sequential model(boolean declares) {
        NumpyRandom rng = new NumpyRandom(11);
        return new Sequential(new OddlyNamed(3, 5, rng, declares), Activation.tanh(),
                new Dense("2", 5, 4, Init.scaledNormal(0.5), Init.scaledNormal(0.5), rng));
    }

    @Test
    void penalisesExactlyTheDeclaredWeights() {
        Sequential net = model(true);
        OddlyNamed odd = (OddlyNamed) net.layers().get(0);
        Dense dense = (Dense) net.layers().get(2);
        Regularizer reg = Regularizer.l2Half(0.3);
        assertEquals(List.of("kernel", "W2"), List.copyOf(reg.appliesTo(net)));
        assertEquals(0.5 * 0.3 * (squares(odd.kernel) + squares(dense.W())), reg.penalty(net), 1e-12);
        assertEquals(List.of("kernel", "Wb", "W2", "b2"), List.copyOf(reg.includingBiases().appliesTo(net)));
        assertEquals(0.3 * squares(odd.bias), Regularizer.l2(0.3).only("Wb").penalty(net), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Regularizer.l2(0.3).only("W1").penalty(net));
        assertTrue(e.getMessage().contains("'W1'") && e.getMessage().contains("kernel"), e.getMessage());
    }

    @Test
    void aLayerThatDoesNotSayHasAllItsParametersPenalised() {
        Sequential net = model(false);
        assertEquals(List.of("kernel", "Wb", "W2"), List.copyOf(Regularizer.l1(0.1).appliesTo(net)));
    }

    @Test
    void aDeclaredWeightThatIsNoParameterIsAnError() {
        Layer wrong = new OddlyNamed(2, 2, new NumpyRandom(1), true) {
            @Override
            public Set<String> weightNames() {
                return Set.of("W");
            }
        };
        Sequential net = new Sequential(wrong);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Regularizer.l2(1).penalty(net));
        assertTrue(e.getMessage().contains("weightNames()"), e.getMessage());
    }

    /** Only the declared weight's gradient gets the penalty's part; the bias "Wb" keeps its data gradient. */
    @Test
    void gradientsOnTheTrainingPathMatchFiniteDifferences() {
        NumpyRandom rng = new NumpyRandom(3);
        Matrix x = rng.randn(6, 3);
        Targets y = Targets.labels(0, 1, 2, 3, 1, 0);
        Loss loss = new SoftmaxCrossEntropy();
        for (Regularizer reg : List.of(Regularizer.l2Half(0.7), Regularizer.l2(0.7), Regularizer.l1(0.7),
                Regularizer.l2(0.7).includingBiases())) {
            Sequential net = model(true);
            GradCheckReport r = GradCheck.of(net, loss, reg, x, y).run();
            assertTrue(r.passed(), () -> reg + "\n" + r);
            assertEquals(4, r.entries().size());
        }
        // The training path (Trainer.lossAndGradients) adds λ·kernel to dkernel and nothing to dWb.
        Sequential plain = model(true);
        plain.backward(loss.evaluate(plain.forward(x), y).dscores());
        Map<String, Matrix> data = new LinkedHashMap<>();
        plain.grads().forEach((k, v) -> data.put(k, v.copy()));
        Sequential net = model(true);
        new Trainer(net, loss).regularizer(Regularizer.l2Half(0.7)).lossAndGradients(x, y);
        Map<String, Matrix> g = net.grads();
        assertArrayEquals(data.get("Wb").data(), g.get("Wb").data(), 0.0);
        assertArrayEquals(data.get("b2").data(), g.get("b2").data(), 0.0);
        assertArrayEquals(data.get("kernel").add(net.param("kernel").times(0.7)).data(), g.get("kernel").data(),
                1e-15);
    }
}
