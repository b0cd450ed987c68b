import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nnlab.layers.Activation;
import nnlab.layers.Conv2D;
import nnlab.layers.Dense;
import nnlab.layers.Flatten;
import nnlab.layers.ImageShape;
import nnlab.layers.Init;
import nnlab.layers.MaxPool2D;
import nnlab.layers.Sequential;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.optim.GradientDescent;
import nnlab.train.History;
import nnlab.train.Trainer;

/** One training epoch of notebook 06's conv net in nnlab, beside PyTorch on the CPU with 2 threads. */
final class ConvBench {
    private ConvBench() {
    }

    /**
     * One epoch of the MNIST notebook's conv net (four 3x3 convolutions 16, 16, 32, 32 with ReLU, two 2x2
     * max-pools, a linear layer to 10; SGD 0.01, batches of 100) on random inputs of MNIST's shape, timed in segments
     * (the median segment scaled to the epoch), beside PyTorch on 2 threads in float32 (its default) and float64
     * (nnlab's precision). Peak heap is measured over the nnlab epoch; the data alone takes images x 784 x 8 bytes.
     */
    static void run(boolean quick) throws Exception {
        int images = quick ? 3000 : 60_000;
        int segments = quick ? 3 : 6;
        NumpyRandom rng = new NumpyRandom(0);
        ImageShape digit = new ImageShape(1, 28, 28);
        Conv2D c1 = new Conv2D("1", digit, 16, 3, 1, 1, rng);
        Conv2D c2 = new Conv2D("2", c1.outputShape(), 16, 3, 1, 1, rng);
        MaxPool2D p1 = new MaxPool2D(c2.outputShape(), 2);
        Conv2D c3 = new Conv2D("3", p1.outputShape(), 32, 3, 1, 1, rng);
        Conv2D c4 = new Conv2D("4", c3.outputShape(), 32, 3, 1, 1, rng);
        MaxPool2D p2 = new MaxPool2D(c4.outputShape(), 2);
        Flatten flat = new Flatten(p2.outputShape());
        double a = 1 / Math.sqrt(flat.outputSize());
        Sequential net = new Sequential(c1, Activation.relu(), c2, Activation.relu(), p1, c3, Activation.relu(), c4,
                Activation.relu(), p2, flat, new Dense("5", flat.outputSize(), 10, Init.uniform(a), Init.uniform(a), rng));
        Matrix x = rng.randn(images, digit.size());
        int[] labels = rng.randint(0, 10, images);
        Trainer trainer = new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(0.01));
        trainer.miniBatches(100, 1, 0).fit(x.rowRange(0, 1000), nnlab.loss.Targets.labels(Arrays.copyOf(labels, 1000)));
        System.gc();
        List<java.lang.management.MemoryPoolMXBean> heap = new ArrayList<>();
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                pool.resetPeakUsage();
                heap.add(pool);
            }
        }
        int per = images / segments / 100 * 100;
        double[] seconds = new double[segments];
        double loss = 0;
        for (int s = 0; s < segments; s++) {
            Matrix xs = x.rowRange(s * per, (s + 1) * per);
            nnlab.loss.Targets ys = nnlab.loss.Targets.labels(Arrays.copyOfRange(labels, s * per, (s + 1) * per));
            History h = trainer.miniBatches(100, 1, s).fit(xs, ys);
            seconds[s] = h.seconds();
            loss = h.finalLoss();
        }
        long peak = 0;
        for (java.lang.management.MemoryPoolMXBean pool : heap) {
            peak += pool.getPeakUsage().getUsed();
        }
        double epoch = Benchmarks.median(seconds) * images / per;
        System.out.printf(Locale.ROOT, "%nconv net epoch (MNIST notebook's net, %d images of 28x28, batch 100): nnlab %.1f s "
                + "(median of %d segments, scaled to the epoch), last loss %.4f; peak heap %.0f MB (data %.0f MB)%n",
                images, epoch, segments, loss, peak / 1e6, images * 784 * 8 / 1e6);
        for (String dtype : List.of("float32", "float64")) {
            Map<String, Double> ref = Benchmarks.python("conv_torch.py", String.valueOf(images), String.valueOf(segments), dtype);
            if (ref != null) {
                double s = ref.get("seconds_median");
                System.out.printf(Locale.ROOT, "  PyTorch CPU %s, %.0f threads: %.1f s; RATIO nnlab/PyTorch(%s) = %.2f"
                        + " (target <= 2.0, aim <= 1.0)%n", dtype, ref.get("threads"), s, dtype, epoch / s);
            }
        }
    }

}
