import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nnlab.data.Dataset;
import nnlab.data.Mnist;
import nnlab.layers.Activation;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Sequential;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.math.MatMul;
import nnlab.math.NumpyRandom;
import nnlab.optim.Adam;
import nnlab.train.History;
import nnlab.train.Trainer;

/**
 * One training epoch of notebook 05's MNIST network (784-100-10 sigmoid, Adam 1e-3, batches of 100 over all 60 000
 * normalized training images) in nnlab, beside PyTorch on the CPU with 2 threads, same data and same batch order.
 */
final class MnistMlpBench {
    private MnistMlpBench() {
    }

    static void run(boolean quick, int reps) {
        long seed = 1;
        Mnist mnist;
        try {
            mnist = Mnist.load();
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            System.out.println("\nMNIST MLP epoch: skipped, MNIST not found (" + why + "); set NNLAB_DATA (data/README.md)");
            Harness.SKIPPED.add("workload mnist-mlp-epoch skipped: MNIST not found (set NNLAB_DATA, see data/README.md)");
            return;
        }
        Dataset train = mnist.normalized().train();
        int images = quick ? 2000 : train.X().rows();
        Dataset data = quick ? train.head(images) : train;
        System.out.printf(Locale.ROOT, "%nMNIST MLP, one epoch (784-100-10 sigmoid, Adam, batches of 100, %d images)%n", images);
        double[] loss = new double[1];
        long[] peak = new long[1];
        int[] run = new int[1];
        // The first epoch warms the JIT up and is not counted; the heap peaks are reset (with a GC) before each epoch.
        Harness.Timing t = Harness.measure(1, reps, MnistMlpBench::resetPeaks, () -> {
            NumpyRandom rng = new NumpyRandom(run[0]++);
            double a1 = 1 / Math.sqrt(784);
            double a2 = 1 / Math.sqrt(100);
            Sequential net = new Sequential(new Dense("1", 784, 100, Init.uniform(a1), Init.uniform(a1), rng),
                    Activation.sigmoid(), new Dense("2", 100, 10, Init.uniform(a2), Init.uniform(a2), rng));
            History h = new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new Adam(1e-3))
                    .miniBatches(100, 1, seed).fit(data.X(), data.targets());
            loss[0] = h.finalLoss();
            peak[0] = Math.max(peak[0], peakHeap());
            return 1;
        });
        String folder = mnist.folder().toString();
        boolean torch = Harness.hasModule("torch", "torch", "PyTorch (MNIST MLP)");
        for (String dtype : quick ? List.of("float32") : List.of("float32", "float64")) {
            Harness.Row row = new Harness.Row("mnist-mlp-epoch", images + " images, ref " + dtype, MatMul.threads(),
                    "s per epoch", t);
            row.extra.put("loss_nnlab", loss[0]);
            row.extra.put("peak_heap_mb_nnlab", peak[0] / 1e6);
            Map<String, Object> ref = torch ? Harness.first(Harness.runScript(2, "mnist_mlp_torch.py", folder,
                    String.valueOf(reps), String.valueOf(seed), "2", dtype, String.valueOf(images))) : null;
            row.reference(ref);
            if (ref != null) {
                row.extra.put("loss_reference", ref.get("loss"));
                row.extra.put("peak_rss_mb_reference", ref.get("peak_rss_mb"));
            } else {
                row.skipped = "torch";
            }
            Harness.add(row);
        }
        System.out.printf(Locale.ROOT, "    nnlab mean batch loss %.4f, peak heap %.0f MB (the training matrix is %.0f MB)%n",
                loss[0], peak[0] / 1e6, data.X().size() * 8 / 1e6);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peak usage since the last reset (an upper bound of the true peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
