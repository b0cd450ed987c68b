import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * nnlab's benchmarks, each run beside its reference in the same invocation; prints medians and the ratio
 * nnlab time / reference time. Run through bench/run.
 */
public final class Benchmarks {
    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int repeats = quick ? 2 : 5;
        System.out.printf(Locale.ROOT, "nnlab benchmarks: %d cores, Java %s, Vector API kernels: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                MatMul.vectorized() ? "on" : "off (start the JVM with --add-modules jdk.incubator.vector)");
        if (Arrays.asList(args).contains("--mnist-only")) {
            MnistMlpBench.run(quick);
            return;
        }
        if (Arrays.asList(args).contains("--conv-only")) {
            ConvBench.run(quick);
            return;
        }

        // 1. The spiral 2-layer net, 10,000 full-batch iterations, against the case study's own numpy code.
        int iterations = quick ? 2000 : 10_000;
        double[] javaSeconds = new double[repeats];
        double loss = 0;
        for (int r = 0; r < repeats + 1; r++) { // the first run warms the JIT up and is not counted
            NumpyRandom rng = new NumpyRandom(0);
            Dataset d = Datasets.spiral(100, 3, 0.2, rng);
            Sequential net = new Sequential(new Dense("1", 2, 100, Init.scaledNormal(0.01), rng), Activation.relu(),
                    new Dense("2", 100, 3, Init.scaledNormal(0.01), rng));
            History h = new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(1.0))
                    .regularizer(Regularizer.l2Half(1e-3)).fullBatch(iterations).fit(d.X(), d.targets());
            if (r > 0) {
                javaSeconds[r - 1] = h.seconds();
            }
            loss = h.finalLoss();
        }
        double javaMedian = median(javaSeconds);
        System.out.printf(Locale.ROOT, "%nspiral 2-layer net, %d iterations: nnlab %.3f s (median of %d), final loss %.9f%n",
                iterations, javaMedian, repeats, loss);
        Map<String, Double> ref = python("spiral_numpy.py", String.valueOf(iterations), String.valueOf(Math.min(3, repeats)));
        if (ref != null) {
            double numpySeconds = ref.get("seconds_median");
            System.out.printf(Locale.ROOT, "  numpy reference %.3f s, final loss %.9f%n", numpySeconds, ref.get("loss"));
            System.out.printf(Locale.ROOT, "  RATIO nnlab/numpy = %.3f (target <= 0.25)%n", javaMedian / numpySeconds);
        }

        // 2. The 1024 x 1024 by 1024 x 1024 product.
        int n = 1024;
        NumpyRandom rng = new NumpyRandom(0);
        Matrix a = rng.randn(n, n);
        Matrix b = rng.randn(n, n);
        for (int w = 0; w < 3; w++) {
            a.dot(b);
        }
        double[] t = new double[quick ? 3 : 7];
        for (int r = 0; r < t.length; r++) {
            long start = System.nanoTime();
            a.dot(b);
            t[r] = (System.nanoTime() - start) / 1e9;
        }
        double mm = median(t);
        double gflops = 2.0 * n * n * n / mm / 1e9;
        System.out.printf(Locale.ROOT, "%nproduct %dx%d by %dx%d: nnlab %.4f s = %.1f GFLOP/s on %d threads (target >= 20)%n",
                n, n, n, n, mm, gflops, MatMul.threads());
        Map<String, Double> mmRef = python("matmul_numpy.py", String.valueOf(n), String.valueOf(t.length));
        if (mmRef != null) {
            double s = mmRef.get("seconds_median");
            System.out.printf(Locale.ROOT, "  numpy reference %.4f s = %.1f GFLOP/s; RATIO nnlab/numpy = %.2f%n", s,
                    2.0 * n * n * n / s / 1e9, mm / s);
        }

        // 3. The spiral notebook's SVM grid search: C, gamma in {0.1, 1, 10}, 5-fold CV = 45 fits plus the refit.
        Dataset spiral = Datasets.spiral(100, 3, 0.2, new NumpyRandom(0));
        int svmRepeats = quick ? 3 : 7;
        double[] svmSeconds = new double[svmRepeats];
        SvmGridSearch.Result grid = null;
        for (int r = 0; r < svmRepeats + 2; r++) { // two warm-up runs
            long start = System.nanoTime();
            grid = SvmGridSearch.rbf(spiral.X(), spiral.y()).C(0.1, 1, 10).gamma(0.1, 1, 10).folds(5).run();
            if (r >= 2) {
                svmSeconds[r - 2] = (System.nanoTime() - start) / 1e9;
            }
        }
        double svm = median(svmSeconds);
        System.out.printf(Locale.ROOT, "%nRBF SVM grid search (45 fits + refit), spiral: nnlab/Smile %.3f s (median of %d) on %d "
                + "threads, best C=%s gamma=%s, CV accuracy %.4f, training accuracy %.4f%n", svm, svmRepeats,
                Runtime.getRuntime().availableProcessors(), grid.bestCell().C(), grid.bestCell().gamma(),
                grid.bestCell().mean(), grid.best().accuracy(spiral.X(), spiral.y()));
        Map<String, Double> svmRef = python("svm_sklearn.py", String.valueOf(svmRepeats));
        if (svmRef != null) {
            double s = svmRef.get("seconds_median");
            System.out.printf(Locale.ROOT, "  scikit-learn GridSearchCV(SVC) %.3f s, CV accuracy %.4f, training accuracy %.4f%n",
                    s, svmRef.get("best_cv"), svmRef.get("train_accuracy"));
            System.out.printf(Locale.ROOT, "  RATIO nnlab/scikit-learn = %.2f (target <= 2)%n", svm / s);
        }

        // 4. One epoch of notebook 05's MNIST network against PyTorch (bench/MnistMlpBench.java).
        MnistMlpBench.run(quick);

        // 5. One epoch of notebook 06's conv net against PyTorch (bench/ConvBench.java).
        ConvBench.run(quick);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Runs a reference script in bench/ and parses its one-line JSON of numbers; null (with the reason) if it cannot. */
    static Map<String, Double> python(String script, String... args) throws Exception {
        String python = System.getenv().getOrDefault("NNLAB_PYTHON", "python3");
        List<String> cmd = new ArrayList<>(List.of(python, System.getProperty("nnlab.bench.dir", "bench") + "/" + script));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // OpenBLAS kernel overrides set on some machines slow numpy down; the reference runs without them.
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            System.out.println("  (reference skipped: " + python + " not found; install Python 3 with numpy)");
            return null;
        }
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().reduce("", (x, y) -> x + y + "\n");
        }
        if (p.waitFor() != 0 || !out.trim().startsWith("{")) {
            System.out.println("  (reference skipped: " + script + " failed; is numpy installed? output: " + out.trim() + ")");
            return null;
        }
        Map<String, Double> values = new java.util.HashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\": (-?[0-9.eE+-]+)").matcher(out);
        while (m.find()) {
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return values;
    }
}
