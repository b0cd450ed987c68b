import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.Map;
import nnlab.data.Dataset;
import nnlab.data.Mnist;
import nnlab.layers.Activation;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Sequential;
import nnlab.loss.SoftmaxCrossEntropy;
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

    static void run(boolean quick) throws Exception {
        int repeats = quick ? 1 : 3;
        long seed = 1;
        Mnist mnist;
        try {
            mnist = Mnist.load();
        } catch (RuntimeException e) {
            System.out.println("\nMNIST MLP epoch: skipped, MNIST not found (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")");
            return;
        }
        Dataset train = mnist.normalized().train();
        double[] seconds = new double[repeats];
        double loss = 0;
        long peak = 0;
        for (int r = 0; r < repeats + 1; r++) { // the first epoch warms the JIT up and is not counted
            resetPeaks();
            NumpyRandom rng = new NumpyRandom(r);
            double a1 = 1 / Math.sqrt(784);
            double a2 = 1 / Math.sqrt(100);
            Sequential net = new Sequential(new Dense("1", 784, 100, Init.uniform(a1), Init.uniform(a1), rng),
                    Activation.sigmoid(), new Dense("2", 100, 10, Init.uniform(a2), Init.uniform(a2), rng));
            History h = new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new Adam(1e-3))
                    .miniBatches(100, 1, seed).fit(train.X(), train.targets());
            if (r > 0) {
                seconds[r - 1] = h.seconds();
                peak = Math.max(peak, peakHeap());
            }
            loss = h.finalLoss();
        }
        double median = Benchmarks.median(seconds);
        System.out.printf(Locale.ROOT, "%nMNIST MLP, one epoch (784-100-10 sigmoid, Adam, 600 batches of 100): nnlab %.3f s "
                + "(median of %d), mean batch loss %.4f, peak heap %.0f MB (the 60000x784 training matrix is %.0f MB)%n",
                median, repeats, loss, peak / 1e6, train.X().size() * 8 / 1e6);
        String folder = mnist.folder().toString();
        for (String dtype : new String[] {"float32", "float64"}) {
            Map<String, Double> ref = Benchmarks.python("mnist_mlp_torch.py", folder, String.valueOf(repeats),
                    String.valueOf(seed), "2", dtype);
            if (ref == null) {
                break;
            }
            double s = ref.get("seconds_median");
            System.out.printf(Locale.ROOT, "  PyTorch CPU (2 threads, %s) %.3f s, mean batch loss %.4f, peak RSS %.0f MB%n",
                    dtype, s, ref.get("loss"), ref.get("peak_rss_mb"));
            System.out.printf(Locale.ROOT, "  RATIO nnlab/PyTorch(%s) = %.2f (target <= 1.5, aim <= 1.0)%n", dtype,
                    median / s);
        }
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
