package nnlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import nnlab.gradcheck.GradCheck;
import nnlab.gradcheck.GradCheckReport;
import nnlab.gradcheck.GradientChecks;
import nnlab.loss.Regularizer;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.loss.Targets;
import nnlab.math.MatMul;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.optim.GradientDescent;
import nnlab.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Conv2D, MaxPool2D and Flatten: forward against a direct loop over the definition, backward against centered
 * finite differences (relative error below 1e-6) on small, odd shapes, and the error messages for inputs that do
 * not fit.
 */
class ConvLayersTest {

    /** The definition, written as loops: out[n,f,i,j] = b[f] + Σ W[f,c,u,v]·xpad[n,c,i·s+u,j·s+v]. */
    private static Matrix convByDefinition(Matrix x, ImageShape in, Matrix w, Matrix b, int k, int s, int p) {
        int f = w.rows();
        int ho = (in.height() + 2 * p - k) / s + 1;
        int wo = (in.width() + 2 * p - k) / s + 1;
        Matrix out = new Matrix(x.rows(), f * ho * wo);
        for (int n = 0; n < x.rows(); n++) {
            for (int o = 0; o < f; o++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        double sum = b.get(0, o);
                        for (int c = 0; c < in.channels(); c++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int hi = i * s + u - p;
                                    int wi = j * s + v - p;
                                    if (hi >= 0 && hi < in.height() && wi >= 0 && wi < in.width()) {
                                        sum += w.get(o, (c * k + u) * k + v) * x.get(n, in.index(c, hi, wi));
                                    }
                                }
                            }
                        }
                        out.set(n, (o * ho + i) * wo + j, sum);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void convolutionMatchesItsDefinition() {
        NumpyRandom rng = new NumpyRandom(0);
        int[][] cases = { // C, H, W, F, k, stride, pad
            {1, 5, 5, 2, 3, 1, 0}, {2, 5, 7, 3, 3, 2, 1}, {3, 7, 5, 4, 3, 1, 1}, {2, 6, 6, 3, 2, 2, 0},
            {1, 4, 6, 2, 1, 1, 0}, {2, 9, 9, 2, 5, 2, 2},
        };
        for (int[] c : cases) {
            ImageShape in = new ImageShape(c[0], c[1], c[2]);
            Conv2D conv = new Conv2D("1", in, c[3], c[4], c[5], c[6], Init.normal(1.0), Init.normal(1.0), rng);
            Matrix x = rng.randn(3, in.size());
            Matrix expected = convByDefinition(x, in, conv.W(), conv.b(), c[4], c[5], c[6]);
            Matrix got = conv.forward(x);
            assertTrue(got.approxEquals(expected, 1e-12), conv.describe());
            assertEquals(conv.outputShape().size(), got.cols());
        }
    }

    @Test
    void convolutionGradientsOnOddShapesStridesAndPadding() {
        NumpyRandom rng = new NumpyRandom(1);
        int[][] cases = { // C, H, W, F, k, stride, pad
            {1, 5, 5, 2, 3, 1, 0}, {2, 5, 7, 3, 3, 2, 1}, {3, 7, 5, 4, 3, 1, 1}, {2, 6, 6, 3, 2, 2, 0},
            {3, 9, 7, 2, 5, 2, 2},
        };
        for (int[] c : cases) {
            ImageShape in = new ImageShape(c[0], c[1], c[2]);
            Conv2D conv = new Conv2D("1", in, c[3], c[4], c[5], c[6], Init.normal(1.0), Init.normal(1.0), rng);
            GradCheckReport r = GradientChecks.layer(conv, rng.randn(4, in.size()), rng, 300);
            assertTrue(r.passed(), () -> conv.describe() + "\n" + r);
            assertEquals(3, r.entries().size());
        }
    }

    @Test
    void convolutionGradientsAcrossSeveralGroupsOfImages() {
        // 3x12x12 with 3x3 kernels: 16 images per group, so 37 images make three groups, the last one of 5
        NumpyRandom rng = new NumpyRandom(2);
        ImageShape in = new ImageShape(3, 12, 12);
        Conv2D conv = new Conv2D("1", in, 4, 3, 1, 1, Init.normal(0.5), Init.normal(0.5), rng);
        Matrix x = rng.randn(37, in.size());
        assertTrue(conv.forward(x).approxEquals(convByDefinition(x, in, conv.W(), conv.b(), 3, 1, 1), 1e-12));
        GradCheckReport r = GradientChecks.layer(conv, x, rng, 300);
        assertTrue(r.passed(), r::toString);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        NumpyRandom rng = new NumpyRandom(3);
        ImageShape in = new ImageShape(3, 12, 12);
        Conv2D conv = new Conv2D("1", in, 4, 3, 1, 1, rng);
        Matrix x = rng.randn(41, in.size());
        Matrix g = rng.randn(41, conv.outputShape().size());
        int before = MatMul.threads();
        Matrix[][] results = new Matrix[2][];
        try {
            for (int t = 1; t <= 2; t++) {
                MatMul.setThreads(t);
                Matrix out = conv.forward(x);
                Matrix dx = conv.backward(g);
                results[t - 1] = new Matrix[] {out, dx, conv.grads().get("W1").copy(), conv.grads().get("b1").copy()};
            }
        } finally {
            MatMul.setThreads(before);
        }
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(results[0][i].data(), results[1][i].data(), 0.0, "result " + i);
        }
    }

    @Test
    void maxPoolingSendsATiedWindowsGradientToItsFirstMaximumAndKeepsNaN() {
        for (int size = 2; size <= 3; size++) { // the written-out 2x2 loop and the general one agree
            ImageShape in = new ImageShape(1, size, size);
            MaxPool2D pool = new MaxPool2D(in, size);
            Matrix x = Matrix.filled(2, in.size(), 1.0);
            x.set(0, 0, 0.5); // row 0: the tie is between positions 1 .. size²-1; row 1: every position ties
            x.set(1, 1, Double.NaN);
            x.set(1, 0, Double.NaN); // a NaN first stays the maximum (later values are never greater)
            Matrix y = pool.forward(x);
            assertEquals(1.0, y.get(0, 0), 0.0);
            assertTrue(Double.isNaN(y.get(1, 0)), "size " + size + ": a NaN first value is the window's maximum");
            Matrix dx = pool.backward(Matrix.filled(2, 1, 3.0));
            for (int q = 0; q < in.size(); q++) {
                assertEquals(q == 1 ? 3.0 : 0.0, dx.get(0, q), 0.0, "size " + size + ": the first of the tied maxima");
                assertEquals(q == 0 ? 3.0 : 0.0, dx.get(1, q), 0.0, "size " + size + ": the NaN in front");
            }
        }
    }

    @Test
    void maxPoolingMatchesItsDefinitionAndItsGradientChecks() {
        NumpyRandom rng = new NumpyRandom(4);
        // C, H, W, size, stride (size 2 has its own written-out loop)
        int[][] cases = {{2, 6, 4, 2, 2}, {3, 7, 5, 3, 2}, {1, 5, 5, 1, 1}, {2, 9, 6, 3, 3}, {2, 7, 6, 2, 1}};
        for (int[] c : cases) {
            ImageShape in = new ImageShape(c[0], c[1], c[2]);
            MaxPool2D pool = new MaxPool2D(in, c[3], c[4]);
            Matrix x = rng.randn(3, in.size());
            Matrix y = pool.forward(x);
            ImageShape out = pool.outputShape();
            for (int n = 0; n < 3; n++) {
                for (int ch = 0; ch < in.channels(); ch++) {
                    for (int i = 0; i < out.height(); i++) {
                        for (int j = 0; j < out.width(); j++) {
                            double max = Double.NEGATIVE_INFINITY;
                            for (int u = 0; u < c[3]; u++) {
                                for (int v = 0; v < c[3]; v++) {
                                    max = Math.max(max, x.get(n, in.index(ch, i * c[4] + u, j * c[4] + v)));
                                }
                            }
                            assertEquals(max, y.get(n, out.index(ch, i, j)), 0.0);
                        }
                    }
                }
            }
            GradCheckReport r = GradientChecks.layer(pool, x, rng, 300);
            assertTrue(r.passed(), () -> pool.describe() + "\n" + r);
        }
    }

    @Test
    void flattenPassesThroughAndNamesTheSize() {
        ImageShape in = new ImageShape(32, 7, 7);
        Flatten flat = new Flatten(in);
        Matrix x = new NumpyRandom(5).randn(2, in.size());
        assertSame(x, flat.forward(x));
        assertEquals(1568, flat.outputSize());
        assertEquals("Flatten((32, 7, 7) -> 1568)", flat.describe());
    }

    @Test
    void aSmallConvNetPassesTheGradientCheckWithLossAndPenalty() {
        NumpyRandom rng = new NumpyRandom(6);
        ImageShape img = new ImageShape(2, 7, 7);
        Conv2D c1 = new Conv2D("1", img, 3, 3, 1, 1, rng);
        MaxPool2D pool = new MaxPool2D(c1.outputShape(), 3, 2);
        Conv2D c2 = new Conv2D("2", pool.outputShape(), 4, 2, 1, 0, rng);
        Flatten flat = new Flatten(c2.outputShape());
        Sequential net = new Sequential(c1, Activation.tanh(), pool, c2, Activation.tanh(), flat,
                new Dense("3", flat.outputSize(), 3, Init.normal(0.5), Init.normal(0.5), rng));
        GradCheckReport r = GradCheck.of(net, new SoftmaxCrossEntropy(), Regularizer.l2Half(0.01),
                rng.randn(5, img.size()), Targets.labels(0, 1, 2, 1, 0)).run();
        assertTrue(r.passed(), r::toString);
        assertEquals(6, r.entries().size());
    }

    /** A conv net with every image layer, stride 2, padding, stacked activations, and a Dense layer at the end. */
    private static Sequential convNet(long seed) {
        NumpyRandom rng = new NumpyRandom(seed);
        ImageShape img = new ImageShape(2, 9, 9);
        Conv2D c1 = new Conv2D("1", img, 4, 3, 2, 1, rng);
        MaxPool2D p1 = new MaxPool2D(c1.outputShape(), 3, 1);
        Conv2D c2 = new Conv2D("2", p1.outputShape(), 3, 2, 1, 1, rng);
        MaxPool2D p2 = new MaxPool2D(c2.outputShape(), 2);
        Flatten flat = new Flatten(p2.outputShape());
        return new Sequential(c1, Activation.relu(), p1, c2, Activation.sigmoid(), Activation.relu(), p2, flat,
                new Dense("3", flat.outputSize(), 3, Init.normal(0.5), rng), Activation.tanh(),
                new Dense("4", 3, 3, Init.normal(0.5), rng));
    }

    @Test
    void fitRunsTheFastPathAndEqualsThePlainPathBitForBit() {
        NumpyRandom rng = new NumpyRandom(9);
        Matrix x = rng.randn(23, 2 * 9 * 9);
        Matrix before = x.copy();
        int[] y = new int[23];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
        }
        Targets t = Targets.labels(y);
        // full batch
        Sequential fitted = convNet(10);
        Sequential plain = convNet(10);
        new Trainer(fitted, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(0.3))
                .regularizer(Regularizer.l2Half(1e-3)).fullBatch(4).fit(x, t);
        Trainer p = new Trainer(plain, new SoftmaxCrossEntropy()).regularizer(Regularizer.l2Half(1e-3));
        GradientDescent gd = new GradientDescent(0.3);
        for (int i = 0; i < 4; i++) {
            p.lossAndGradients(x, t);
            gd.step(plain.params(), plain.grads());
        }
        assertSameParameters(plain, fitted);
        // mini-batches of 10: batches of 10, 10 and 3 images in the order the trainer's seeded stream gives
        fitted = convNet(11);
        plain = convNet(11);
        new Trainer(fitted, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(0.3)).miniBatches(10, 2, 5)
                .fit(x, t);
        p = new Trainer(plain, new SoftmaxCrossEntropy());
        NumpyRandom order = new NumpyRandom(5);
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] perm = order.permutation(23);
            for (int from = 0; from < 23; from += 10) {
                int[] idx = java.util.Arrays.copyOfRange(perm, from, Math.min(23, from + 10));
                p.lossAndGradients(x.rows(idx), t.rows(idx));
                gd.step(plain.params(), plain.grads());
            }
        }
        assertSameParameters(plain, fitted);
        assertArrayEquals(before.data(), x.data(), 0.0, "fit modified the caller's X");
        // and the gradients of the fast path pass the finite-difference check
        GradCheckReport r = GradCheck.of(convNet(12), new SoftmaxCrossEntropy(), Regularizer.l2Half(1e-3),
                x.rowRange(0, 6), Targets.labels(0, 1, 2, 0, 1, 2)).run();
        assertTrue(r.passed(), r::toString);
    }

    private static void assertSameParameters(Sequential expected, Sequential actual) {
        for (Map.Entry<String, Matrix> e : expected.params().entrySet()) {
            assertArrayEquals(e.getValue().data(), actual.param(e.getKey()).data(), 0.0, e.getKey());
        }
    }

    @Test
    void inputsThatDoNotFitAreNamedAtTheFirstForward() {
        NumpyRandom rng = new NumpyRandom(7);
        Conv2D conv = new Conv2D("1", new ImageShape(3, 28, 28), 16, 3, 1, 1, rng);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(new Matrix(10, 784)));
        assertTrue(e.getMessage().startsWith("Conv2D1((3, 28, 28) -> (16, 28, 28)"), e.getMessage());
        assertTrue(e.getMessage().contains("input (10x784)"), e.getMessage());
        assertTrue(e.getMessage().contains("1 channel of 28x28"), e.getMessage());

        MaxPool2D pool = new MaxPool2D(new ImageShape(16, 14, 14), 2);
        e = assertThrows(IllegalArgumentException.class, () -> pool.forward(new Matrix(4, 16 * 28 * 28)));
        assertTrue(e.getMessage().contains("16 channels of 28x28"), e.getMessage());

        Flatten flat = new Flatten(new ImageShape(32, 7, 7));
        Dense dense = new Dense("5", 32 * 8 * 8, 10, Init.normal(1.0), rng);
        Sequential net = new Sequential(flat, dense);
        e = assertThrows(IllegalArgumentException.class, () -> net.forward(new Matrix(2, 1568)));
        assertTrue(e.getMessage().contains("Dense5(2048 -> 10)"), e.getMessage());
        assertTrue(e.getMessage().contains("Dense5(1568 -> 10) would fit"), e.getMessage());
    }

    @Test
    void kernelsAndWindowsThatDoNotTileTheImageAreRejectedWithSizesThatFit() {
        NumpyRandom rng = new NumpyRandom(8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2D("1", new ImageShape(1, 8, 9), 2, 3, 2, 0, rng));
        assertTrue(e.getMessage().contains("Conv2D1(3x3, stride 2, padding 0) on input (1, 8, 9)"), e.getMessage());
        assertTrue(e.getMessage().contains("height 7 or height 9 would fit"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2D(new ImageShape(32, 7, 7), 2));
        assertTrue(e.getMessage().contains("do not tile a height of 7"), e.getMessage());
        assertTrue(e.getMessage().contains("height 6 or 8 would fit"), e.getMessage());
    }
}
