import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The timing and reporting of bench/run: repetitions with wall time, this process's CPU time and the CPU the rest of
 * the machine used meanwhile; reference scripts run in NNLAB_PYTHON; results.json and results.md in target/bench.
 *
 * <p>A repetition is <b>quiet</b> when the other processes together used at most {@link #QUIET_OTHER} of a core
 * during it (busy time in /proc/stat minus this process's CPU time, over the wall time). A workload's median is the
 * median of its quiet repetitions when at least half of them (and at least one) were quiet, else of all of them, and
 * then the row is marked loaded.
 */
final class Harness {
    static final double QUIET_OTHER = 0.25;

    private Harness() {
    }

    /** One timed repetition: wall and CPU seconds (per unit of work) and the other processes' cores. */
    record Rep(double wall, double cpu, double other) {
        boolean quiet() {
            return !(other > QUIET_OTHER);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wall", wall);
            m.put("cpu", cpu);
            m.put("cpu_per_wall", cpu / wall);
            m.put("other_cores", other);
            m.put("quiet", quiet());
            return m;
        }
    }

    /** Timings of one side (nnlab or a reference) of a workload. */
    record Timing(List<Rep> reps, String loadBefore, String loadAfter) {
        List<Rep> counted() {
            List<Rep> quiet = reps.stream().filter(Rep::quiet).toList();
            return !quiet.isEmpty() && quiet.size() * 2 >= reps.size() ? quiet : reps;
        }

        boolean quiet() {
            return reps.stream().filter(Rep::quiet).count() * 2 >= reps.size() && reps.stream().anyMatch(Rep::quiet);
        }

        double median() {
            return Benchmarks.median(counted().stream().mapToDouble(Rep::wall).toArray());
        }

        double min() {
            return reps.stream().mapToDouble(Rep::wall).min().orElse(Double.NaN);
        }

        double cpuPerWall() {
            return Benchmarks.median(reps.stream().mapToDouble(r -> r.cpu() / r.wall()).toArray());
        }

        double otherMax() {
            return reps.stream().mapToDouble(Rep::other).max().orElse(Double.NaN);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("median", median());
            m.put("min", min());
            m.put("median_of", counted() == reps ? "all repetitions" : "quiet repetitions");
            m.put("quiet", quiet());
            m.put("cpu_per_wall_median", cpuPerWall());
            m.put("loadavg_before", loadBefore);
            m.put("loadavg_after", loadAfter);
            m.put("reps", reps.stream().map(Rep::json).toList());
            return m;
        }
    }

    /** One row of the report: a workload, nnlab's timing and (maybe) its reference's. */
    static final class Row {
        final String workload;
        final String shape;
        final int threads;
        final String unit;
        final Timing nnlab;
        String reference;
        String referenceVersion;
        Timing ref;
        String skipped;
        final Map<String, Object> extra = new LinkedHashMap<>();

        Row(String workload, String shape, int threads, String unit, Timing nnlab) {
            this.workload = workload;
            this.shape = shape;
            this.threads = threads;
            this.unit = unit;
            this.nnlab = nnlab;
        }

        Double ratio() {
            return ref == null ? null : nnlab.median() / ref.median();
        }

        Row reference(Map<String, Object> line) {
            if (line != null) {
                reference = String.valueOf(line.get("reference"));
                referenceVersion = String.valueOf(line.get("version"));
                ref = timing(line);
            }
            return this;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", workload);
            m.put("shape", shape);
            m.put("threads", threads);
            m.put("unit", unit);
            m.put("nnlab", nnlab.json());
            if (ref != null) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", reference);
                r.put("version", referenceVersion);
                r.putAll(ref.json());
                m.put("reference", r);
                m.put("ratio", ratio());
            } else {
                m.put("reference", null);
                m.put("reference_skipped", skipped);
            }
            m.put("quiet", nnlab.quiet() && (ref == null || ref.quiet()));
            m.putAll(extra);
            return m;
        }
    }

    static final List<Row> ROWS = new ArrayList<>();

    static Row add(Row row) {
        ROWS.add(row);
        String refText = row.ref == null ? "reference skipped"
                : String.format(Locale.ROOT, "%s %s median %s; RATIO nnlab/%s = %.3f", row.reference,
                        row.referenceVersion, seconds(row.ref.median()), row.reference, row.ratio());
        System.out.printf(Locale.ROOT, "  %-22s %-24s %d thr: nnlab median %s min %s (cpu/wall %.2f, %s); %s%n",
                row.workload, row.shape, row.threads, seconds(row.nnlab.median()), seconds(row.nnlab.min()),
                row.nnlab.cpuPerWall(), row.nnlab.quiet() ? "quiet" : "LOADED", refText);
        return row;
    }

    static String seconds(double s) {
        if (Double.isNaN(s)) {
            return "n/a";
        }
        if (s < 1e-3) {
            return String.format(Locale.ROOT, "%.1f us", s * 1e6);
        }
        if (s < 1) {
            return String.format(Locale.ROOT, "%.2f ms", s * 1e3);
        }
        return String.format(Locale.ROOT, "%.3f s", s);
    }

    // ---- measuring nnlab ----------------------------------------------------------------------------------------

    /** Runs work warmup times uncounted, then reps times; work returns how many units it did (times are per unit). */
    static Timing measure(int warmup, int reps, DoubleSupplier work) {
        return measure(warmup, reps, () -> { }, work);
    }

    /** As {@link #measure(int, int, DoubleSupplier)}, running setup (untimed) before each run. */
    static Timing measure(int warmup, int reps, Runnable setup, DoubleSupplier work) {
        for (int w = 0; w < warmup; w++) {
            setup.run();
            work.getAsDouble();
        }
        String before = loadavg();
        List<Rep> out = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            setup.run();
            double busy0 = machineBusySeconds();
            double cpu0 = processCpuSeconds();
            long t0 = System.nanoTime();
            double units = work.getAsDouble();
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = processCpuSeconds() - cpu0;
            double busy = machineBusySeconds();
            // /proc/stat counts in ticks of 10 ms: over less than 50 ms the other processes' share is not known.
            double other = Double.isNaN(busy) || wall < 0.05 ? Double.NaN : Math.max(0, busy - busy0 - cpu) / wall;
            out.add(new Rep(wall / units, cpu / units, other));
        }
        return new Timing(out, before, loadavg());
    }

    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** Busy CPU seconds of the whole machine since boot (from /proc/stat, clock ticks of 1/100 s), NaN off Linux. */
    static double machineBusySeconds() {
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/stat"))) {
            String[] f = r.readLine().trim().split("\\s+");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
            return busy / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The first three fields of /proc/loadavg and the running/total processes field, or "n/a". */
    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " " + f[3];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    // ---- references in Python -----------------------------------------------------------------------------------

    static String python() {
        return System.getenv().getOrDefault("NNLAB_PYTHON", "python3");
    }

    private static final Map<String, String> MODULE_CHECKS = new LinkedHashMap<>();
    static final List<String> SKIPPED = new ArrayList<>();

    /**
     * Whether NNLAB_PYTHON can import the module (numpy, sklearn, torch); if not, prints and records which reference
     * is skipped and the exact command that installs it.
     */
    static boolean hasModule(String module, String pipName, String what) {
        String key = module;
        if (!MODULE_CHECKS.containsKey(key)) {
            String problem = null;
            try {
                Process p = new ProcessBuilder(python(), "-c", "import " + module).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0) {
                    problem = python() + " has no " + module + " (" + lastLine(out) + ")";
                }
            } catch (IOException e) {
                problem = "there is no Python at NNLAB_PYTHON=" + python();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem = "interrupted";
            }
            MODULE_CHECKS.put(key, problem);
        }
        String problem = MODULE_CHECKS.get(key);
        if (problem != null) {
            String install = problem.startsWith("there is no Python")
                    ? "install Python 3 (apt install python3 python3-venv), then: python3 -m venv /tmp/bench-venv && "
                            + "/tmp/bench-venv/bin/pip install " + pipName + " and set NNLAB_PYTHON=/tmp/bench-venv/bin/python"
                    : python() + " -m pip install " + pipName + (pipName.equals("torch")
                            ? " --index-url https://download.pytorch.org/whl/cpu" : "");
            String message = "reference " + what + " skipped: " + problem + ". Install it with: " + install;
            System.out.println("  " + message);
            if (SKIPPED.stream().noneMatch(s -> s.startsWith("reference " + what + " "))) {
                SKIPPED.add(message);
            }
            return false;
        }
        return true;
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\n");
        return lines[lines.length - 1];
    }

    /**
     * Runs a reference script in bench/ with NNLAB_PYTHON and the given thread count (OPENBLAS/OMP/MKL and
     * NNLAB_BENCH_THREADS); returns its JSON lines, or an empty list (with the reason printed) when it fails.
     */
    static List<Map<String, Object>> runScript(int threads, String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of(python(), System.getProperty("nnlab.bench.dir", "bench") + "/" + script));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        // OpenBLAS kernel overrides set on some machines slow numpy down; the reference runs without them.
        env.remove("OPENBLAS_CORETYPE");
        env.remove("OPENBLAS_L2_SIZE");
        for (String v : List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NNLAB_BENCH_THREADS")) {
            env.put(v, String.valueOf(threads));
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        StringBuilder other = new StringBuilder();
        try {
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("{")) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = (Map<String, Object>) Json.parse(line);
                        lines.add(m);
                    } else {
                        other.append(line).append('\n');
                    }
                }
            }
            if (p.waitFor() != 0) {
                System.out.println("  reference " + script + " failed (exit " + p.exitValue() + "): " + other.toString().trim());
                return List.of();
            }
        } catch (IOException e) {
            System.out.println("  reference " + script + " skipped: cannot run " + python() + " (" + e.getMessage() + ")");
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        return lines;
    }

    static Map<String, Object> first(List<Map<String, Object>> lines) {
        return lines.isEmpty() ? null : lines.get(0);
    }

    @SuppressWarnings("unchecked")
    static Timing timing(Map<String, Object> line) {
        List<Rep> reps = new ArrayList<>();
        for (Object o : (List<Object>) line.get("reps")) {
            Map<String, Object> r = (Map<String, Object>) o;
            Object other = r.get("other");
            reps.add(new Rep(num(r.get("wall")), num(r.get("cpu")), other == null ? Double.NaN : num(other)));
        }
        String load = String.valueOf(line.getOrDefault("loadavg", "n/a"));
        return new Timing(reps, load, load);
    }

    static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    // ---- the report ---------------------------------------------------------------------------------------------

    static void write(Map<String, Object> header, boolean quick) throws IOException {
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Map<String, Object> all = new LinkedHashMap<>(header);
        all.put("skipped_references", SKIPPED);
        all.put("results", ROWS.stream().map(Row::json).toList());
        Files.writeString(dir.resolve("results.json"), Json.write(all) + "\n");

        StringBuilder md = new StringBuilder();
        md.append("# nnlab benchmarks").append(quick ? " (quick mode: tiny sizes, 1 repetition, timings meaningless)" : "")
                .append("\n\n");
        for (Map.Entry<String, Object> e : header.entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        md.append("- quiet: a repetition is quiet when other processes used at most ").append(QUIET_OTHER)
                .append(" of a core during it; medians are over the quiet repetitions when at least half were quiet\n");
        boolean anyLoaded = ROWS.stream().anyMatch(r -> !(r.nnlab.quiet() && (r.ref == null || r.ref.quiet())));
        if (anyLoaded) {
            md.append("\n**Provisional: some rows were measured on a loaded machine (quiet = no).**\n");
        }
        md.append("\n| workload | shape | threads | nnlab median | nnlab min | cpu/wall | reference | ref median | ratio | quiet |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : ROWS) {
            boolean quiet = r.nnlab.quiet() && (r.ref == null || r.ref.quiet());
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.2f | %s | %s | %s | %s |%n", r.workload,
                    r.shape, r.threads, seconds(r.nnlab.median()), seconds(r.nnlab.min()), r.nnlab.cpuPerWall(),
                    r.ref == null ? "skipped" : r.reference + " " + r.referenceVersion,
                    r.ref == null ? "" : seconds(r.ref.median()),
                    r.ref == null ? "" : String.format(Locale.ROOT, "%.3f", r.ratio()),
                    quiet ? "yes" : String.format(Locale.ROOT, "no (others %.1f cores)",
                            Math.max(r.nnlab.otherMax(), r.ref == null ? 0 : r.ref.otherMax()))));
        }
        if (!SKIPPED.isEmpty()) {
            md.append("\nSkipped references:\n\n");
            SKIPPED.forEach(s -> md.append("- ").append(s).append('\n'));
        }
        md.append("\nratio = nnlab median / reference median (below 1: nnlab is faster). Times are per product for GEMM, "
                + "per run otherwise.\n");
        Files.writeString(dir.resolve("results.md"), md.toString());
        System.out.println("\nwrote " + dir.resolve("results.json") + " and " + dir.resolve("results.md"));
    }

    /**
     * The quick mode's check: results.json parses, results.md has the table, and every requested workload has a row
     * or was skipped for a missing prerequisite (MNIST, .venv). Returns the problems, empty when all is well.
     */
    @SuppressWarnings("unchecked")
    static List<String> check(List<String> workloads) throws IOException {
        Path dir = Path.of("target", "bench");
        List<String> problems = new ArrayList<>();
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("results.json")).trim());
        List<Object> results = (List<Object>) json.get("results");
        String md = Files.readString(dir.resolve("results.md"));
        if (!md.contains("| workload | shape |")) {
            problems.add("results.md has no table");
        }
        for (String w : workloads) {
            String name = Map.of("gemm", "gemm", "spiral", "spiral-train", "svm", "svm-grid", "mnist", "mnist-mlp-epoch",
                    "conv", "conv-epoch", "startup", "kernel-startup").getOrDefault(w, w);
            boolean row = results.stream().anyMatch(r -> name.equals(((Map<String, Object>) r).get("workload")));
            boolean skipped = SKIPPED.stream().anyMatch(s -> s.startsWith("workload " + name + " skipped"));
            if (!row && !skipped) {
                problems.add("workload " + w + " produced no row in results.json");
            }
            if (!md.contains("| " + name + " |") && !skipped) {
                problems.add("workload " + w + " has no row in results.md");
            }
        }
        return problems;
    }

    /** A minimal JSON reader and writer (objects, arrays, strings, numbers, booleans, null). */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.ws();
            if (j.i != j.s.length()) {
                throw new IllegalArgumentException("trailing characters in JSON at " + j.i + ": " + text);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    i++; // ':'
                    m.put(k, value());
                    ws();
                    if (s.charAt(i++) == '}') {
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') {
                        return l;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            for (String lit : List.of("true", "false", "null", "NaN", "Infinity", "-Infinity")) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return switch (lit) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        case "NaN" -> Double.NaN;
                        case "Infinity" -> Double.POSITIVE_INFINITY;
                        default -> Double.NEGATIVE_INFINITY;
                    };
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Double.parseDouble(s.substring(start, i));
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            i++;
            return b.toString();
        }

        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(v, b, "");
            return b.toString();
        }

        @SuppressWarnings("unchecked")
        private static void write(Object v, StringBuilder b, String indent) {
            if (v == null) {
                b.append("null");
            } else if (v instanceof Map<?, ?> m) {
                b.append("{");
                String inner = indent + "  ";
                boolean first = true;
                for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                    b.append(first ? "\n" : ",\n").append(inner);
                    first = false;
                    quote(e.getKey(), b);
                    b.append(": ");
                    write(e.getValue(), b, inner);
                }
                b.append(first ? "}" : "\n" + indent + "}");
            } else if (v instanceof List<?> l) {
                b.append("[");
                for (int k = 0; k < l.size(); k++) {
                    b.append(k == 0 ? "" : ", ");
                    write(l.get(k), b, indent);
                }
                b.append("]");
            } else if (v instanceof Double d) {
                b.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.6g", d));
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                quote(String.valueOf(v), b);
            }
        }

        private static void quote(String s, StringBuilder b) {
            b.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
    }
}
