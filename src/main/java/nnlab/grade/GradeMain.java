package nnlab.grade;

import nnlab.notebook.CheckLog;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The grading command ({@code ./nnlab grade} and the Gradescope bundle call it).
 *
 * <pre>
 * grade      --source LAB.ipynb [--release RELEASED.ipynb] --out DIR [options] SUBMISSIONS_DIR
 *            every *.ipynb in SUBMISSIONS_DIR (or the one notebook in each of its folders) is a submission;
 *            writes DIR/&lt;student&gt;/results.json and feedback.md, DIR/gradebook.csv, DIR/reference.json
 * reference  --source LAB.ipynb --release RELEASED.ipynb --out reference.json
 *            runs the solution and saves the parts each check records (the bundle ships this)
 * gradescope --source LAB.ipynb --release RELEASED.ipynb --reference reference.json
 *            --submission /autograder/submission --results /autograder/results
 * data       --source LAB.ipynb --out DIR
 *            copies the data files the lab loads (today: {@code Digits400.load()}) into DIR/data, where the lab finds
 *            them when it runs in DIR (the Gradescope bundle runs there)
 * options: --timeout S (per cell, default 60)  --heap MB (default 512)  --jobs N (default: cores)
 *          --budget S (total, default 3600)  --init tools/init.jsh  --reference FILE  --show-hidden
 * </pre>
 */
public final class GradeMain {
    private GradeMain() {
    }

    public static void main(String[] args) throws IOException {
        try {
            System.exit(run(args));
        } catch (LabFormatException e) {
            System.err.println("nnlab grade: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: grade | reference | gradescope | data (see GradeMain's Javadoc or README)");
            return 2;
        }
        String cmd = args[0];
        Map<String, String> opt = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--show-hidden")) {
                opt.put("show-hidden", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                opt.put(args[i].substring(2), args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        Path source = Path.of(need(opt, "source"));
        Lab lab = Lab.load(source, opt.containsKey("release") ? Path.of(opt.get("release")) : null);
        Grader.Options o = new Grader.Options(
                Double.parseDouble(opt.getOrDefault("timeout", "60")),
                Integer.parseInt(opt.getOrDefault("heap", "512")),
                Integer.parseInt(opt.getOrDefault("jobs", String.valueOf(Runtime.getRuntime().availableProcessors()))),
                Double.parseDouble(opt.getOrDefault("budget", "3600")),
                Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)),
                Files.readString(Path.of(opt.getOrDefault("init", "tools/init.jsh")), StandardCharsets.UTF_8));
        boolean showHidden = opt.containsKey("show-hidden");
        switch (cmd) {
            case "reference": {
                Path out = Path.of(need(opt, "out"));
                writeReference(Grader.reference(lab, source, o), out);
                System.out.println("reference parts of " + lab.id() + " written to " + out);
                return 0;
            }
            case "gradescope": {
                Map<String, List<CheckLog.Entry>> ref = readReference(Path.of(need(opt, "reference")));
                Path sub = notebookIn(Path.of(need(opt, "submission")));
                Path results = Path.of(need(opt, "results"));
                Grader g = new Grader(lab, o, ref);
                SubmissionResult r = g.grade("submission", sub == null ? Path.of(need(opt, "submission"))
                        .resolve("missing.ipynb") : sub, System.nanoTime() + (long) (o.budgetSeconds() * 1e9));
                Reports.write(r, results, showHidden);
                System.out.println(summary(List.of(r)));
                return 0;
            }
            case "grade": {
                if (rest.size() != 1) {
                    System.err.println("grade: give one SUBMISSIONS_DIR");
                    return 2;
                }
                Path out = Path.of(need(opt, "out"));
                Files.createDirectories(out);
                long t0 = System.nanoTime();
                Map<String, List<CheckLog.Entry>> ref = opt.containsKey("reference")
                        ? readReference(Path.of(opt.get("reference"))) : Grader.reference(lab, source, o);
                writeReference(ref, out.resolve("reference.json"));
                Map<String, Path> subs = submissions(Path.of(rest.get(0)));
                List<SubmissionResult> results = new Grader(lab, o, ref).gradeAll(subs);
                for (SubmissionResult r : results) {
                    Reports.write(r, out.resolve(r.student()), showHidden);
                }
                Files.writeString(out.resolve("gradebook.csv"), Reports.gradebook(results, lab.checkNames()),
                        StandardCharsets.UTF_8);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.print(summary(results));
                System.out.printf(Locale.ROOT, "graded %d submission(s) of %s in %.1f s wall time (%d job(s), budget"
                        + " %s s, per-cell limit %s s, heap %d MB); results in %s%n", results.size(), lab.id(), s,
                        o.jobs(), Lab.fmt(o.budgetSeconds()), Lab.fmt(o.timeoutSeconds()), o.heapMegabytes(), out);
                return 0;
            }
            case "data": {
                Path dataDir = Path.of(need(opt, "out")).resolve("data");
                List<Path> copied = copyLabData(Files.readString(source, StandardCharsets.UTF_8), dataDir);
                System.out.println(copied.isEmpty() ? lab.id() + " loads no data files"
                        : "data of " + lab.id() + " copied to " + dataDir + ": " + copied.stream()
                                .map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
                return 0;
            }
            default:
                System.err.println("unknown command " + cmd + " (grade | reference | gradescope | data)");
                return 2;
        }
    }

    /**
     * Copies the data files a lab's code loads into {@code dataDir}, under the names the loaders look for there.
     * A lab that reads MNIST itself ({@code Mnist.load()}) is refused with the reason: its 4 files are not shipped
     * in a bundle (derive what the lab needs, as {@code Digits400} does).
     */
    static List<Path> copyLabData(String labSource, Path dataDir) throws IOException {
        List<Path> copied = new ArrayList<>();
        if (labSource.contains("Mnist.load(") || labSource.contains("Mnist.fashion(")) {
            throw new LabFormatException("the lab loads MNIST itself, which a grading bundle does not carry; load a"
                    + " derived set (e.g. Digits400.load()) instead");
        }
        if (labSource.contains("Digits400.load()")) {
            Path file = nnlab.data.Digits400.dataFile();
            Files.createDirectories(dataDir);
            Path target = dataDir.resolve(file.getFileName());
            Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            copied.add(target);
        }
        return copied;
    }

    private static String need(Map<String, String> opt, String key) {
        String v = opt.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing option --" + key);
        }
        return v;
    }

    /** Submissions by student: each *.ipynb in dir, and the notebook inside each sub-folder. */
    static Map<String, Path> submissions(Path dir) throws IOException {
        Map<String, Path> subs = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().collect(Collectors.toList())) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    Path nb = notebookIn(p);
                    subs.put(n, nb != null ? nb : p.resolve("missing.ipynb"));
                } else if (n.endsWith(".ipynb")) {
                    subs.put(n.substring(0, n.length() - ".ipynb".length()), p);
                }
            }
        }
        return subs;
    }

    /** The first notebook (by name) under dir, or null. */
    static Path notebookIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".ipynb") && !p.toString().contains(".ipynb_checkpoints"))
                    .sorted().findFirst().orElse(null);
        }
    }

    static String summary(List<SubmissionResult> results) {
        StringBuilder sb = new StringBuilder();
        for (SubmissionResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-24s %6s / %-4s %5.1f s  ", r.student(), Lab.fmt(r.score()),
                    Lab.fmt(r.maxScore()), r.seconds()));
            sb.append(r.tests().stream().map(t -> t.name() + "=" + t.status()).collect(Collectors.joining(" ")));
            sb.append('\n');
        }
        return sb.toString();
    }

    static void writeReference(Map<String, List<CheckLog.Entry>> ref, Path out) throws IOException {
        JsonObject o = new JsonObject();
        ref.forEach((k, parts) -> {
            JsonArray a = new JsonArray();
            for (CheckLog.Entry p : parts) {
                JsonObject j = new JsonObject();
                j.addProperty("label", p.label());
                j.addProperty("hidden", p.hidden());
                a.add(j);
            }
            o.add(k, a);
        });
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n",
                StandardCharsets.UTF_8);
    }

    static Map<String, List<CheckLog.Entry>> readReference(Path in) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(in, StandardCharsets.UTF_8)).getAsJsonObject();
        Map<String, List<CheckLog.Entry>> ref = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            List<CheckLog.Entry> parts = new ArrayList<>();
            for (JsonElement p : e.getValue().getAsJsonArray()) {
                JsonObject j = p.getAsJsonObject();
                parts.add(new CheckLog.Entry(j.get("label").getAsString(), true, "", j.get("hidden").getAsBoolean()));
            }
            ref.put(e.getKey(), parts);
        }
        return ref;
    }
}
