import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nnlab.data.Dataset;
import nnlab.data.Datasets;
import nnlab.layers.Activation;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Sequential;
import nnlab.loss.Regularizer;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.math.MatMul;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.optim.GradientDescent;
import nnlab.svm.SvmGridSearch;
import nnlab.train.History;
import nnlab.train.Trainer;

/**
 * nnlab's benchmarks, each beside its reference (numpy, scikit-learn, PyTorch, run in NNLAB_PYTHON) in the same
 * invocation: warm-up, then repetitions with wall and CPU time; medians, minima and ratios nnlab / reference go to the
 * console, target/bench/results.json and target/bench/results.md (see bench/README.md). Run through bench/run.
 *
 * <p>Options: {@code --quick} (tiny sizes, one repetition: checks that every workload runs and the report is
 * written), {@code --reps N} (default 5), {@code --only gemm,spiral,svm,mnist,conv,startup}, {@code --mnist-only},
 * {@code --conv-only}.
 */
public final class Benchmarks {
    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        boolean quick = a.contains("--quick");
        int reps = quick ? 1 : 5;
        int i = a.indexOf("--reps");
        if (i >= 0) {
            reps = Integer.parseInt(a.get(i + 1));
        }
        List<String> only = List.of("gemm", "spiral", "svm", "mnist", "conv", "startup");
        i = a.indexOf("--only");
        if (i >= 0) {
            only = List.of(a.get(i + 1).split(","));
        }
        if (a.contains("--mnist-only")) {
            only = List.of("mnist");
        }
        if (a.contains("--conv-only")) {
            only = List.of("conv");
        }
        Map<String, Object> header = header(quick, reps);
        System.out.println("nnlab benchmarks" + (quick ? " (quick: tiny sizes, timings meaningless)" : ""));
        header.forEach((k, v) -> System.out.println("  " + k + ": " + v));

        if (only.contains("gemm")) {
            gemm(quick, reps);
        }
        if (only.contains("spiral")) {
            spiral(quick, reps);
        }
        if (only.contains("svm")) {
            svm(quick, reps);
        }
        if (only.contains("mnist")) {
            MnistMlpBench.run(quick, reps);
        }
        if (only.contains("conv")) {
            ConvBench.run(quick, reps);
        }
        if (only.contains("startup")) {
            KernelStartup.run(quick, reps);
        }
        header.put("loadavg_at_end", Harness.loadavg());
        Harness.write(header, quick);
        if (quick) {
            List<String> problems = Harness.check(only);
            if (!problems.isEmpty()) {
                problems.forEach(p -> System.out.println("bench check FAILED: " + p));
                System.exit(1);
            }
            System.out.println("bench check: ok, every workload ran (" + String.join(", ", only)
                    + ") and results.json / results.md were written (timings are not checked)");
        }
    }

    static Map<String, Object> header(boolean quick, int reps) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("date", Instant.now().toString());
        h.put("mode", quick ? "quick" : "full");
        h.put("repetitions", reps);
        h.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        h.put("jdk", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        h.put("cores", Runtime.getRuntime().availableProcessors());
        h.put("nnlab_threads", MatMul.threads());
        h.put("vector_api", MatMul.vectorized() ? "yes (jdk.incubator.vector)"
                : "no (plain Java kernels; start the JVM with --add-modules jdk.incubator.vector)");
        h.put("cpu", cpuModel());
        h.put("python", Harness.python());
        h.put("loadavg_at_start", Harness.loadavg());
        return h;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown")
                    + simdFlags();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /**
     * The vector extensions the CPU reports, e.g. " (avx2 fma avx512f)": the same model name comes with or without
     * AVX-512 here, and the vector width changes every kernel's speed.
     */
    private static String simdFlags() throws java.io.IOException {
        List<String> flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
                .findFirst().map(l -> List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).orElse(List.of());
        StringBuilder out = new StringBuilder();
        for (String f : List.of("avx2", "fma", "avx512f")) {
            if (flags.contains(f)) {
                out.append(out.length() == 0 ? " (" : " ").append(f);
            }
        }
        return out.length() == 0 ? "" : out.append(")").toString();
    }

    /**
     * The products: 1024³ and the training shapes, on 1 and 2 threads, beside numpy with as many BLAS threads. The
     * "gemm" rows write into a result kept from call to call on both sides ({@code MatMul.multiplyInto}, as the
     * training loops do; {@code np.matmul(a, b, out=c)}): the product's own throughput. The "gemm-dot" rows (one
     * thread, the shapes whose results are large next to their work) allocate a new result per call on both sides
     * ({@code x.dot(w)}, {@code np.dot}), as a notebook cell does: there the JVM zeroes fresh memory for every
     * result, while numpy's allocator hands back the block it freed, still in cache.
     */
    static void gemm(boolean quick, int reps) {
        System.out.println("\nGEMM (double, C = A·B; time per product)");
        List<int[]> shapes = quick
                ? List.of(new int[] {128, 128, 128}, new int[] {30, 2, 10}, new int[] {10, 78, 10}, new int[] {784, 9, 16})
                : List.of(new int[] {1024, 1024, 1024}, // the square benchmark
                        new int[] {300, 2, 100}, // spiral: X·W1
                        new int[] {300, 100, 3}, // spiral: hidden·W2
                        new int[] {100, 784, 100}, // MNIST MLP: a batch times W1
                        // the conv net's products, one group of images each (Conv2D lowers onto X, C·k·k × H'W'):
                        new int[] {16, 9, 7056}, // conv 1 forward W·X (9 digits of 28x28, 3x3x1 columns)
                        new int[] {16, 144, 784}, // conv 2 forward W·X (3x3x16 columns of one digit)
                        new int[] {144, 784, 16}, // conv 2 weight gradient X·doutᵀ
                        new int[] {144, 16, 784}, // conv 2 input gradient Wᵀ·dout
                        new int[] {32, 288, 196}); // conv 4 forward W·X (14x14 maps, 3x3x32 columns)
        List<int[]> allocating = quick ? List.of(new int[] {30, 2, 10})
                : List.of(new int[] {300, 2, 100}, new int[] {16, 9, 7056}, new int[] {144, 16, 784});
        double minSeconds = quick ? 0.005 : 0.25;
        int saved = MatMul.threads();
        int maxThreads = Math.min(2, Runtime.getRuntime().availableProcessors());
        for (int threads = 1; threads <= 2; threads++) {
            if (threads > maxThreads && !quick) {
                break;
            }
            gemmRows("gemm", shapes, threads, true, minSeconds, reps);
        }
        gemmRows("gemm-dot", allocating, 1, false, minSeconds, reps);
        MatMul.setThreads(saved);
    }

    /** One group of GEMM rows: nnlab's products, then numpy's in one script run, paired shape by shape. */
    private static void gemmRows(String workload, List<int[]> shapes, int threads, boolean into, double minSeconds,
                                 int reps) {
        MatMul.setThreads(threads);
        List<String> args = new ArrayList<>(List.of(String.valueOf(reps), String.valueOf(minSeconds),
                into ? "into" : "allocate"));
        List<Harness.Row> rows = new ArrayList<>();
        for (int[] s : shapes) {
            NumpyRandom rng = new NumpyRandom(0);
            Matrix x = rng.randn(s[0], s[1]);
            Matrix w = rng.randn(s[1], s[2]);
            Matrix c = new Matrix(s[0], s[2]);
            Runnable product = into ? () -> MatMul.multiplyInto(x, false, w, false, c) : () -> x.dot(w);
            // Warm-up until the JIT has compiled the kernels (a second, at least 20 products), then calibration:
            // how many products fill one repetition of minSeconds.
            long t0 = System.nanoTime();
            for (int calls = 0; calls < 20 || System.nanoTime() - t0 < 4 * minSeconds * 1e9; calls++) {
                product.run();
            }
            t0 = System.nanoTime();
            int calls = 0;
            while (calls < 3 || System.nanoTime() - t0 < minSeconds / 4 * 1e9) {
                product.run();
                calls++;
            }
            int inner = (int) Math.max(1, Math.round(minSeconds / ((System.nanoTime() - t0) / 1e9 / calls)));
            Harness.Timing t = Harness.measure(1, reps, () -> {
                for (int k = 0; k < inner; k++) {
                    product.run();
                }
                return inner;
            });
            String shape = s[0] + "x" + s[1] + "·" + s[1] + "x" + s[2];
            Harness.Row row = new Harness.Row(workload, shape, threads, "s per product", t);
            row.extra.put("gflops_nnlab", 2.0 * s[0] * s[1] * s[2] / t.median() / 1e9);
            row.extra.put("result", into ? "reused" : "allocated per call");
            rows.add(row);
            args.add(s[0] + "," + s[1] + "," + s[2]);
        }
        List<Map<String, Object>> ref = Harness.hasModule("numpy", "numpy", "numpy (GEMM)")
                ? Harness.runScript(threads, "gemm_numpy.py", args.toArray(String[]::new)) : List.of();
        for (int k = 0; k < rows.size(); k++) {
            Harness.Row row = rows.get(k);
            if (k < ref.size()) {
                row.reference(ref.get(k));
                int[] s = shapes.get(k);
                row.extra.put("gflops_reference", 2.0 * s[0] * s[1] * s[2] / row.ref.median() / 1e9);
            } else {
                row.skipped = "numpy";
            }
            Harness.add(row);
        }
    }

    /** The spiral 2-layer net, 10,000 full-batch iterations, against the case study's own numpy code. */
    static void spiral(boolean quick, int reps) {
        int iterations = quick ? 200 : 10_000;
        System.out.printf(Locale.ROOT, "%nspiral 2-layer net (300x2 -> 100 ReLU -> 3), %d full-batch iterations%n", iterations);
        double[] loss = new double[1];
        Harness.Timing t = Harness.measure(1, reps, () -> {
            NumpyRandom rng = new NumpyRandom(0);
            Dataset d = Datasets.spiral(100, 3, 0.2, rng);
            Sequential net = new Sequential(new Dense("1", 2, 100, Init.scaledNormal(0.01), rng), Activation.relu(),
                    new Dense("2", 100, 3, Init.scaledNormal(0.01), rng));
            History h = new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(1.0))
                    .regularizer(Regularizer.l2Half(1e-3)).fullBatch(iterations).fit(d.X(), d.targets());
            loss[0] = h.finalLoss();
            return 1;
        });
        Harness.Row row = new Harness.Row("spiral-train", iterations + " iterations", MatMul.threads(), "s per run", t);
        row.extra.put("loss_nnlab", loss[0]);
        if (Harness.hasModule("numpy", "numpy", "numpy (spiral)")) {
            Map<String, Object> ref = Harness.first(Harness.runScript(MatMul.threads(), "spiral_numpy.py",
                    String.valueOf(iterations), String.valueOf(reps)));
            row.reference(ref);
            if (ref != null) {
                row.extra.put("loss_reference", ref.get("loss"));
            }
        }
        row.skipped = row.ref == null ? "numpy" : null;
        Harness.add(row);
        System.out.printf(Locale.ROOT, "  final loss nnlab %.9f%s%n", loss[0],
                row.extra.containsKey("loss_reference") ? String.format(Locale.ROOT, ", numpy %.9f",
                        Harness.num(row.extra.get("loss_reference"))) : "");
    }

    /** The spiral notebook's SVM grid: C, gamma in {0.1, 1, 10}, 5-fold CV = 45 fits plus the refit. */
    static void svm(boolean quick, int reps) {
        System.out.println("\nRBF SVM grid search on the spiral (C, gamma in {0.1, 1, 10}, 5-fold CV: 45 fits + refit)");
        Dataset spiral = Datasets.spiral(100, 3, 0.2, new NumpyRandom(0));
        Map<String, Object> ref = Harness.hasModule("sklearn", "scikit-learn", "scikit-learn (SVM grid)")
                ? Harness.first(Harness.runScript(1, "svm_sklearn.py", String.valueOf(reps))) : null;
        int cores = Runtime.getRuntime().availableProcessors();
        for (int threads : cores > 1 ? new int[] {1, Math.min(2, cores)} : new int[] {1}) {
            SvmGridSearch.Result[] grid = new SvmGridSearch.Result[1];
            Harness.Timing t = Harness.measure(quick ? 1 : 3, reps, () -> {
                grid[0] = SvmGridSearch.rbf(spiral.X(), spiral.y()).C(0.1, 1, 10).gamma(0.1, 1, 10).folds(5)
                        .threads(threads).run();
                return 1;
            });
            Harness.Row row = new Harness.Row("svm-grid", "300x2, 3x3 grid, 5 folds", threads, "s per grid", t);
            row.extra.put("best_C", grid[0].bestCell().C());
            row.extra.put("best_gamma", grid[0].bestCell().gamma());
            row.extra.put("best_cv_nnlab", grid[0].bestCell().mean());
            row.extra.put("train_accuracy_nnlab", grid[0].best().accuracy(spiral.X(), spiral.y()));
            row.reference(ref);
            if (ref != null) {
                row.extra.put("best_cv_reference", ref.get("best_cv"));
                row.extra.put("train_accuracy_reference", ref.get("train_accuracy"));
            } else {
                row.skipped = "scikit-learn";
            }
            Harness.add(row);
            System.out.printf(Locale.ROOT, "    best C=%s gamma=%s, CV accuracy %.4f (scikit-learn %s)%n",
                    grid[0].bestCell().C(), grid[0].bestCell().gamma(), grid[0].bestCell().mean(),
                    ref == null ? "n/a" : String.format(Locale.ROOT, "%.4f", Harness.num(ref.get("best_cv"))));
        }
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
