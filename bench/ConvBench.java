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
import nnlab.math.MatMul;
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
    static void run(boolean quick, int reps) {
        int images = quick ? 400 : 60_000;
        int segments = Math.max(reps, quick ? 1 : 6);
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
        int warm = Math.min(1000, images); // warm-up, not counted
        trainer.miniBatches(100, 1, 0).fit(x.rowRange(0, warm), nnlab.loss.Targets.labels(Arrays.copyOf(labels, warm)));
        System.gc();
        List<java.lang.management.MemoryPoolMXBean> heap = new ArrayList<>();
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                pool.resetPeakUsage();
                heap.add(pool);
            }
        }
        int per = images / segments / 100 * 100;
        double[] loss = new double[1];
        int[] segment = new int[1];
        System.out.printf(Locale.ROOT, "%nconv net epoch (MNIST notebook's net, %d images of 28x28, batch 100, timed in %d "
                + "segments, each scaled to the epoch)%n", images, segments);
        Harness.Timing t = Harness.measure(0, segments, () -> {
            int s = segment[0]++;
            Matrix xs = x.rowRange(s * per, (s + 1) * per);
            nnlab.loss.Targets ys = nnlab.loss.Targets.labels(Arrays.copyOfRange(labels, s * per, (s + 1) * per));
            History h = trainer.miniBatches(100, 1, s).fit(xs, ys);
            loss[0] = h.finalLoss();
            return (double) per / images;
        });
        long peak = 0;
        for (java.lang.management.MemoryPoolMXBean pool : heap) {
            peak += pool.getPeakUsage().getUsed();
        }
        boolean torch = Harness.hasModule("torch", "torch", "PyTorch (conv net)");
        for (String dtype : quick ? List.of("float32") : List.of("float32", "float64")) {
            Harness.Row row = new Harness.Row("conv-epoch", images + " images, ref " + dtype, MatMul.threads(),
                    "s per epoch", t);
            row.extra.put("loss_nnlab", loss[0]);
            row.extra.put("peak_heap_mb_nnlab", peak / 1e6);
            Map<String, Object> ref = torch ? Harness.first(Harness.runScript(2, "conv_torch.py", String.valueOf(images),
                    String.valueOf(segments), dtype)) : null;
            row.reference(ref);
            if (ref == null) {
                row.skipped = "torch";
            }
            Harness.add(row);
        }
        System.out.printf(Locale.ROOT, "    nnlab last loss %.4f; peak heap %.0f MB (data %.0f MB)%n", loss[0], peak / 1e6,
                images * 784 * 8 / 1e6);
    }
}
