package nnlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import nnlab.gradcheck.GradCheck;
import nnlab.gradcheck.GradientChecks;
import nnlab.loss.BinaryCrossEntropy;
import nnlab.loss.Loss;
import nnlab.loss.MeanSquaredError;
import nnlab.loss.PerceptronLoss;
import nnlab.loss.Regularizer;
import nnlab.loss.SigmoidCrossEntropy;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.optim.Adam;
import nnlab.optim.GradientDescent;
import nnlab.optim.Momentum;
import nnlab.optim.Optimizer;
import nnlab.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Property: for seeded random models (every layer kind in {@link #KINDS}, activations stacked and repeated in any
 * order, users' layers with only forward/backward, nested Sequentials), every loss, every optimizer, with and without
 * a regularizer, full batch and mini-batch, N steps of {@code Trainer.fit} leave bit for bit the parameters of N plain
 * steps ({@code model.forward}, {@code model.backward}, {@code optimizer.step}), never touch the data, and the
 * gradients of the pass fit runs ({@link TrainingPass}) agree with finite differences.
 *
 * <p>To cover a new layer, add one {@link Kind} to {@link #KINDS}: a name and how to build it for an input width.
 */
class FastPathPropertyTest {
    /** What a kind builds for an input of width {@code in}: the layer and its output width. */
    record Built(Layer layer, int out) {
    }

    /** One kind of layer the generator draws. */
    interface Kind {
        String name();

        /** A fresh layer for inputs of width in (every parameter drawn from rng), or null if it cannot take that. */
        Built build(int in, NumpyRandom rng, String suffix);
    }

    static int ri(NumpyRandom r, int low, int high) {
        return (int) r.randint(low, high);
    }

    static Kind kind(String name, Builder b) {
        return new Kind() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Built build(int in, NumpyRandom rng, String suffix) {
                return b.build(in, rng, suffix);
            }
        };
    }

    interface Builder {
        Built build(int in, NumpyRandom rng, String suffix);
    }

    /** Every layer kind of nnlab.layers, plus users' layers. Add new kinds here. */
    static final List<Kind> KINDS = List.of(
            kind("dense", (in, rng, s) -> {
                int out = 2 + ri(rng, 0, 5);
                return new Built(new Dense(s, in, out, Init.normal(0.5), Init.normal(0.3), rng), out);
            }),
            kind("relu", (in, rng, s) -> new Built(Activation.relu(), in)),
            kind("sigmoid", (in, rng, s) -> new Built(Activation.sigmoid(), in)),
            kind("tanh", (in, rng, s) -> new Built(Activation.tanh(), in)),
            kind("user pass-through", (in, rng, s) -> new Built(new PassThrough(), in)),
            kind("user doubler", (in, rng, s) -> new Built(new Doubler(), in)),
            kind("softmax", (in, rng, s) -> new Built(new Softmax(), in)),
            kind("conv2d", (in, rng, s) -> {
                ImageShape shape = image(in);
                if (shape == null) {
                    return null;
                }
                Conv2D c = new Conv2D(s, shape, 1 + ri(rng, 0, 2), 2, 1, ri(rng, 0, 2), rng);
                return new Built(c, c.outputShape().size());
            }),
            kind("maxpool2d", (in, rng, s) -> {
                ImageShape shape = image(in);
                if (shape == null) {
                    return null;
                }
                MaxPool2D m = new MaxPool2D(shape, 2, 1);
                return new Built(m, m.outputShape().size());
            }),
            kind("flatten", (in, rng, s) -> {
                ImageShape shape = image(in);
                return shape == null ? null : new Built(new Flatten(shape), in);
            }),
            kind("nested sequential", (in, rng, s) -> {
                Dense d = new Dense(s + "n", in, in, Init.normal(0.5), Init.normal(0.3), rng); // no exact ReLU kink at 0
                return new Built(new Sequential(Activation.tanh(), d, Activation.relu()), in);
            }));

    /** Reads a width as C x H x W images (H, W >= 2; two channels when that fits), or null if it cannot. */
    static ImageShape image(int in) {
        for (int c = 2; c >= 1; c--) {
            if (in % c == 0) {
                int m = in / c;
                for (int h = (int) Math.sqrt(m); h >= 2; h--) {
                    if (m % h == 0 && m / h >= 2) {
                        return new ImageShape(c, h, m / h);
                    }
                }
            }
        }
        return null;
    }

    /** A student's layer that returns its input itself: nobody may overwrite what it hands on. */
    static final class PassThrough implements Layer {
        @Override
        public Matrix forward(Matrix x) {
            return x;
        }

        @Override
        public Matrix backward(Matrix dout) {
            return dout;
        }

        @Override
        public String describe() {
            return "PassThrough";
        }
    }

    /** A student's layer with fresh results, out = 2x. */
    static final class Doubler implements Layer {
        @Override
        public Matrix forward(Matrix x) {
            return x.times(2.0);
        }

        @Override
        public Matrix backward(Matrix dout) {
            return dout.times(2.0);
        }

        @Override
        public String describe() {
            return "Doubler";
        }
    }

    enum LossKind { SOFTMAX, BINARY, SIGMOID, MSE, PERCEPTRON }

    enum OptKind { GD, MOMENTUM, ADAM }

    /** One drawn case: everything needed to build two identical models and train them. */
    record Case(long seed, int n, int d, List<Integer> kinds, int k, LossKind loss, OptKind opt, int reg,
                int batch, int steps) {
        Sequential model() {
            NumpyRandom rng = new NumpyRandom(seed);
            List<Layer> layers = new ArrayList<>();
            int width = d;
            int i = 0;
            for (int kindIndex : kinds) {
                Built b = KINDS.get(kindIndex).build(width, rng, Integer.toString(++i));
                if (b == null) { // the kind cannot take this width (images): a Dense to 2x2x2 images first
                    layers.add(new Dense(i + "a", width, 8, Init.normal(0.5), Init.normal(0.3), rng));
                    width = 8;
                    b = KINDS.get(kindIndex).build(width, rng, Integer.toString(i));
                }
                layers.add(b.layer());
                width = b.out();
            }
            layers.add(new Dense("out", width, k, Init.normal(0.5), Init.normal(0.3), rng));
            return new Sequential(layers.toArray(new Layer[0]));
        }

        Loss lossFunction() {
            return switch (loss) {
                case SOFTMAX -> new SoftmaxCrossEntropy();
                case BINARY -> new BinaryCrossEntropy();
                case SIGMOID -> new SigmoidCrossEntropy();
                case MSE -> new MeanSquaredError();
                case PERCEPTRON -> new PerceptronLoss();
            };
        }

        Optimizer optimizer() {
            return switch (opt) {
                case GD -> new GradientDescent(0.05);
                case MOMENTUM -> new Momentum(0.01, 0.9);
                case ADAM -> new Adam(0.01);
            };
        }

        Regularizer regularizer() {
            return switch (reg) {
                case 0 -> Regularizer.none();
                case 1 -> Regularizer.l2Half(1e-2);
                case 2 -> Regularizer.l2(1e-2).includingBiases();
                default -> Regularizer.l1(1e-2);
            };
        }

        Matrix inputs() {
            return new NumpyRandom(seed + 1).randn(n, d);
        }

        Targets targets() {
            NumpyRandom r = new NumpyRandom(seed + 2);
            switch (loss) {
                case SOFTMAX, SIGMOID -> {
                    int[] y = new int[n];
                    for (int i = 0; i < n; i++) {
                        y[i] = ri(r, 0, k);
                    }
                    return Targets.labels(y);
                }
                case BINARY -> {
                    Matrix t = new Matrix(n, k);
                    for (int q = 0; q < t.size(); q++) {
                        t.data()[q] = ri(r, 0, 2);
                    }
                    return Targets.values(t);
                }
                case PERCEPTRON -> {
                    Matrix t = new Matrix(n, k);
                    for (int q = 0; q < t.size(); q++) {
                        t.data()[q] = 2 * ri(r, 0, 2) - 1;
                    }
                    return Targets.values(t);
                }
                default -> {
                    return Targets.values(r.randn(n, k));
                }
            }
        }

        @Override
        public String toString() {
            List<String> names = new ArrayList<>();
            kinds.forEach(q -> names.add(KINDS.get(q).name()));
            return "case seed " + seed + ": " + names + " -> dense(" + k + "), " + loss + ", " + opt + ", reg " + reg
                    + ", N=" + n + ", batch " + (batch == 0 ? "full" : batch) + ", " + steps + " steps";
        }
    }

    static Case draw(long seed) {
        NumpyRandom r = new NumpyRandom(seed);
        int depth = 1 + ri(r, 0, 6);
        List<Integer> kinds = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            kinds.add(ri(r, 0, KINDS.size()));
        }
        LossKind loss = LossKind.values()[ri(r, 0, LossKind.values().length)];
        int k = 2 + ri(r, 0, 3);
        int n = 5 + ri(r, 0, 8);
        int batch = ri(r, 0, 2) == 0 ? 0 : 2 + ri(r, 0, n - 2);
        return new Case(seed * 7919 + 11, n, 2 + ri(r, 0, 4), kinds, k, loss,
                OptKind.values()[ri(r, 0, 3)], ri(r, 0, 4), batch, 1 + ri(r, 0, 4));
    }

    static final int CASES = 50;
    static final Set<String> ACTIVATIONS = Set.of("relu", "sigmoid", "tanh", "softmax");

    @Test
    void fitEqualsThePlainPathBitForBitAndItsGradientsPassAFiniteDifferenceCheck() {
        long start = System.nanoTime();
        Set<LossKind> losses = EnumSet.noneOf(LossKind.class);
        Set<OptKind> opts = EnumSet.noneOf(OptKind.class);
        Set<String> kindsSeen = new java.util.HashSet<>();
        Set<Integer> regs = new java.util.HashSet<>();
        Set<Boolean> batching = new java.util.HashSet<>();
        int stackedActivations = 0;
        for (long s = 0; s < CASES; s++) {
            Case c = draw(s);
            losses.add(c.loss());
            opts.add(c.opt());
            regs.add(c.reg());
            batching.add(c.batch() > 0);
            c.kinds().forEach(q -> kindsSeen.add(KINDS.get(q).name()));
            for (int i = 1; i < c.kinds().size(); i++) {
                if (ACTIVATIONS.contains(KINDS.get(c.kinds().get(i)).name())
                        && ACTIVATIONS.contains(KINDS.get(c.kinds().get(i - 1)).name())) {
                    stackedActivations++;
                }
            }
            try {
                fitEqualsPlain(c);
                gradientsOfTheFitPath(c);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(c + ": " + e.getMessage(), e);
            }
        }
        assertEquals(EnumSet.allOf(LossKind.class), losses, "every loss drawn");
        assertEquals(EnumSet.allOf(OptKind.class), opts, "every optimizer drawn");
        assertEquals(Set.of(0, 1, 2, 3), regs, "every regularizer drawn");
        assertEquals(Set.of(true, false), batching, "full batch and mini-batch drawn");
        List<String> all = new ArrayList<>();
        KINDS.forEach(q -> all.add(q.name()));
        assertEquals(Set.copyOf(all), kindsSeen, "every layer kind drawn");
        assertTrue(stackedActivations >= 10, "stacked activations drawn " + stackedActivations + " times");
        System.out.printf("%d cases in %.1f s%n", CASES, (System.nanoTime() - start) / 1e9);
    }

    static void fitEqualsPlain(Case c) {
        Matrix x = c.inputs();
        Targets y = c.targets();
        Matrix xBefore = x.copy();
        Sequential fitted = c.model();
        Sequential plain = c.model();
        Trainer t = new Trainer(fitted, c.lossFunction()).optimizer(c.optimizer()).regularizer(c.regularizer());
        if (c.batch() == 0) {
            t.fullBatch(c.steps());
        } else {
            t.miniBatches(c.batch(), c.steps(), c.seed());
        }
        t.fit(x, y);

        // The reference: the plain path, batches drawn as documented (a NumpyRandom(seed) permutation per epoch).
        Trainer reference = new Trainer(plain, c.lossFunction()).regularizer(c.regularizer());
        Optimizer opt = c.optimizer();
        NumpyRandom order = new NumpyRandom(c.seed());
        for (int step = 0; step < c.steps(); step++) {
            if (c.batch() == 0) {
                reference.lossAndGradients(x, y);
                opt.step(plain.params(), plain.grads());
            } else {
                int[] perm = order.permutation(c.n());
                for (int from = 0; from < c.n(); from += c.batch()) {
                    int[] idx = Arrays.copyOfRange(perm, from, Math.min(c.n(), from + c.batch()));
                    reference.lossAndGradients(x.rows(idx), y.rows(idx));
                    opt.step(plain.params(), plain.grads());
                }
            }
        }
        for (Map.Entry<String, Matrix> e : plain.params().entrySet()) {
            assertArrayEquals(e.getValue().data(), fitted.param(e.getKey()).data(), 0.0,
                    "parameter " + e.getKey() + " after fit differs from the plain path");
        }
        assertArrayEquals(xBefore.data(), x.data(), 0.0, "fit modified the caller's X");
    }

    /**
     * The gradients of the pass fit runs equal the plain backward's bit for bit and agree with centered differences
     * (where a ReLU or the perceptron's kink sits within the step, a smaller step is tried).
     */
    static void gradientsOfTheFitPath(Case c) {
        GradientChecks.assertTrainingGradientsMatch(c.model(), c.lossFunction(), c.regularizer(), c.inputs(),
                c.targets());
    }

    /** A model whose fast path is wrong on purpose: the checks above must catch it (the test can fail). */
    @Test
    void aWrongFastPathIsCaught() {
        Case c = new Case(5, 6, 3, List.of(0, 1), 3, LossKind.SOFTMAX, OptKind.GD, 0, 0, 2);
        Supplier<Sequential> broken = () -> {
            Sequential m = c.model();
            List<Layer> layers = new ArrayList<>(m.layers());
            layers.set(1, new WrongFastRelu());
            return new Sequential(layers.toArray(new Layer[0]));
        };
        Sequential fitted = broken.get();
        Sequential plain = broken.get();
        Matrix x = c.inputs();
        new Trainer(fitted, c.lossFunction()).optimizer(new GradientDescent(0.3)).fullBatch(2).fit(x, c.targets());
        Trainer ref = new Trainer(plain, c.lossFunction());
        GradientDescent gd = new GradientDescent(0.3);
        for (int i = 0; i < 2; i++) {
            ref.lossAndGradients(x, c.targets());
            gd.step(plain.params(), plain.grads());
        }
        boolean differs = false;
        for (String name : plain.params().keySet()) {
            differs |= !Arrays.equals(plain.param(name).data(), fitted.param(name).data());
        }
        assertTrue(differs, "a wrong fast path went unnoticed by the fit-vs-plain comparison");
        assertTrue(!GradCheck.of(broken.get(), c.lossFunction(), Regularizer.none(), x, c.targets()).run().passed(),
                "GradCheck.of(model, ...) does not check the path fit runs");
    }

    /** ReLU whose fast backward forgets the switch (passes dout through): plain path right, fast path wrong. */
    static final class WrongFastRelu implements FastLayer {
        private final Activation relu = Activation.relu();

        @Override
        public Matrix forward(Matrix x) {
            return relu.forward(x);
        }

        @Override
        public Matrix backward(Matrix dout) {
            return relu.backward(dout);
        }

        @Override
        public Matrix forwardFast(Matrix x, boolean inputFree) {
            return relu.forwardFast(x, false);
        }

        @Override
        public Matrix backwardFast(Matrix dout, boolean doutFree, boolean inputGradient) {
            return dout.copy();
        }

        @Override
        public boolean outputFree() {
            return false;
        }

        @Override
        public boolean inputGradientFree() {
            return true;
        }

        @Override
        public String describe() {
            return "WrongFastReLU";
        }
    }
}
