package nnlab.grade;

import nnlab.notebook.CheckLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Grades submissions of one lab, each in a fresh JVM ({@link Sandbox}). The submission's cells run in order, except
 * that every check cell is the instructor's, taken from the lab source (hidden tests included) and matched by check
 * name, whatever the submission holds there; a check cell the submission edited or deleted is restored and noted.
 * Each check runs under its own wall-clock limit; whatever happens in it (a timeout, System.exit, an
 * OutOfMemoryError, a stack overflow, code that does not compile) becomes that check's status and grading goes on
 * with the next check, in a new JVM if the old one ended.
 *
 * <p>Scores: a check's parts are the ones the lab's own solution records ({@link #reference}); the check earns its
 * points times the share of those parts the submission passes.
 */
public final class Grader {
    /**
     * @param timeoutSeconds default wall-clock limit of a cell (a check cell may set its own, metadata
     *     {@code nnlab.timeout})
     * @param heapMegabytes heap cap of each student JVM
     * @param jobs submissions graded at the same time
     * @param budgetSeconds total wall-clock budget; checks not started by then are {@code not-run}
     * @param classpath what the student JVM gets (nnlab's jar and its dependencies)
     * @param imports the kernel's preloaded imports (tools/init.jsh)
     */
    public record Options(double timeoutSeconds, int heapMegabytes, int jobs, double budgetSeconds,
                          List<String> classpath, String imports) {
    }

    private static final Pattern BEGIN_HIDDEN = Pattern.compile("(?m)^\\s*//\\s*BEGIN HIDDEN TESTS\\s*$");

    private final Lab lab;
    private final Options options;
    private final Map<String, List<CheckLog.Entry>> reference;

    /** A grader for lab whose scoring parts come from {@code reference} (see {@link #reference}). */
    public Grader(Lab lab, Options options, Map<String, List<CheckLog.Entry>> reference) {
        this.lab = lab;
        this.options = options;
        this.reference = reference;
    }

    /**
     * Runs the lab source itself (solutions in place) and returns, per check, the parts it records. Every part
     * must pass: a lab whose solution fails its own tests is refused, naming the check and the failure.
     */
    public static Map<String, List<CheckLog.Entry>> reference(Lab lab, Path source, Options options) throws IOException {
        // The solution is trusted: three times the limit, so that a loaded machine does not fail the lab itself.
        Grader g = new Grader(lab, new Options(3 * options.timeoutSeconds(), options.heapMegabytes(), options.jobs(),
                options.budgetSeconds(), options.classpath(), options.imports()), Map.of());
        Raw raw = g.runAll(planOfSource(lab), System.nanoTime() + (long) (options.budgetSeconds() * 1e9));
        Map<String, List<CheckLog.Entry>> ref = new LinkedHashMap<>();
        for (Lab.Check c : lab.checks().values()) {
            Done d = raw.done.get(c.name());
            List<CheckLog.Entry> failed = d.parts.stream().filter(p -> !p.passed()).collect(Collectors.toList());
            if (d.run.outcome() != Sandbox.Outcome.OK || !failed.isEmpty()) {
                throw new LabFormatException(lab.name() + ": cell " + c.cell() + ": the solution fails its own check '"
                        + c.name() + "': " + (d.run.error() != null ? d.run.error() + " " : "")
                        + failed.stream().map(CheckLog.Entry::message).collect(Collectors.joining("; "))
                        + (d.run.output().isBlank() ? "" : "\n" + d.run.output())
                        + (d.studentErrors.isEmpty() ? "" : "\nearlier cells failed: " + d.studentErrors));
            }
            ref.put(c.name(), d.parts);
        }
        return ref;
    }

    // ------------------------------------------------------------------------------------------------ the plan

    /** A step of a run: a student's cell, or a check (the instructor's code) with what the submission did to it. */
    private record Step(Ipynb.Cell student, Lab.Check check, String tamper) {
    }

    private static List<Step> planOfSource(Lab lab) {
        List<Step> plan = new ArrayList<>();
        for (Ipynb.Cell c : lab.cells()) {
            if (c.isCode()) {
                plan.add(c.check() != null ? new Step(null, lab.checks().get(c.check()), null)
                        : new Step(c, null, null));
            }
        }
        return plan;
    }

    private List<Step> plan(Ipynb sub) {
        List<Step> plan = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (Ipynb.Cell c : sub.cells()) {
            if (!c.isCode()) {
                continue;
            }
            Lab.Check k = c.check() == null ? null : lab.checks().get(c.check());
            if (c.check() != null) {
                if (k != null && placed.add(k.name())) {
                    boolean same = sha256(c.source()).equals(k.checksum());
                    plan.add(new Step(null, k, same ? null : "edited"));
                }
                continue; // a duplicated or unknown check cell is not run
            }
            plan.add(new Step(c, null, null));
        }
        // A deleted check goes back before the next check the submission kept (source order), or at the end.
        List<String> order = lab.checkNames();
        for (int i = order.size() - 1; i >= 0; i--) {
            String name = order.get(i);
            if (placed.contains(name)) {
                continue;
            }
            int at = plan.size();
            for (int j = i + 1; j < order.size(); j++) {
                String next = order.get(j);
                int idx = indexOfCheck(plan, next);
                if (idx >= 0) {
                    at = idx;
                    break;
                }
            }
            plan.add(at, new Step(null, lab.checks().get(name), "deleted"));
            placed.add(name);
        }
        return plan;
    }

    private static int indexOfCheck(List<Step> plan, String name) {
        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i).check() != null && plan.get(i).check().name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    static String sha256(String s) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------- running

    private record Done(Sandbox.Run run, List<CheckLog.Entry> parts, String tamper, List<String> studentErrors) {
    }

    private static final class Raw {
        final Map<String, Done> done = new LinkedHashMap<>();
    }

    private Raw runAll(List<Step> plan, long deadlineNanos) {
        Raw raw = new Raw();
        List<Ipynb.Cell> replay = new ArrayList<>();
        List<String> studentErrors = new ArrayList<>();
        Sandbox box = null;
        try {
            for (Step s : plan) {
                if (System.nanoTime() > deadlineNanos) {
                    break;
                }
                if (box == null || !box.alive()) {
                    if (box != null) {
                        box.close();
                    }
                    box = start(replay, deadlineNanos);
                }
                if (s.student() != null) {
                    Sandbox.Run r = box.run(s.student().source(), options.timeoutSeconds());
                    if (r.outcome() == Sandbox.Outcome.OK) {
                        replay.add(s.student());
                    } else {
                        studentErrors.add("cell " + s.student().number() + ": " + status(r) + ": " + r.error());
                        if (r.outcome() != Sandbox.Outcome.TIMEOUT && r.outcome() != Sandbox.Outcome.EXIT) {
                            replay.add(s.student()); // its declarations that compiled still count on a new JVM
                        }
                    }
                    continue;
                }
                Lab.Check k = s.check();
                box.value("nnlab.notebook.CheckLog.begin()", 30);
                String code = BEGIN_HIDDEN.matcher(k.source()).replaceAll("nnlab.notebook.CheckLog.hiddenFollow();");
                double limit = Double.isNaN(k.timeoutSeconds()) ? options.timeoutSeconds() : k.timeoutSeconds();
                Sandbox.Run r = box.run(code, limit);
                String enc = box.value("nnlab.notebook.CheckLog.end()", 30);
                List<CheckLog.Entry> parts = enc == null ? List.of() : CheckLog.decode(enc.replace("\"", ""));
                raw.done.put(k.name(), new Done(r, parts, s.tamper(), List.copyOf(studentErrors)));
            }
        } finally {
            if (box != null) {
                box.close();
            }
        }
        return raw;
    }

    /** A fresh JVM with the student's cells so far run again (after the previous JVM ended). */
    private Sandbox start(List<Ipynb.Cell> replay, long deadlineNanos) {
        Sandbox box = new Sandbox(options.classpath(), options.heapMegabytes(), options.imports());
        for (Ipynb.Cell c : replay) {
            if (System.nanoTime() > deadlineNanos) {
                break;
            }
            box.run(c.source(), options.timeoutSeconds());
        }
        return box;
    }

    // ------------------------------------------------------------------------------------------------- scoring

    /** Grades one notebook; never throws for anything the notebook holds. */
    public SubmissionResult grade(String student, Path notebook, long deadlineNanos) {
        long t0 = System.nanoTime();
        String whole = null;
        Ipynb sub = null;
        try {
            sub = Ipynb.read(notebook);
        } catch (IOException | RuntimeException e) {
            whole = e.getMessage() != null && e.getMessage().contains("empty") ? "empty-notebook" : "unreadable";
            String why = e.getMessage();
            return new SubmissionResult(student, lab.id(), allTests(whole, why), seconds(t0));
        }
        if (sub.cells().stream().noneMatch(c -> c.isCode() && !c.source().isBlank())) {
            return new SubmissionResult(student, lab.id(), allTests("empty-notebook",
                    "the notebook has no code: submit the lab notebook with your solutions"), seconds(t0));
        }
        String declared = sub.nnlab().has("lab") ? sub.nnlab().get("lab").getAsString() : null;
        boolean anyCheck = sub.cells().stream().anyMatch(c -> c.check() != null && lab.checks().containsKey(c.check()));
        if ((declared != null && !declared.equals(lab.id())) || (declared == null && !anyCheck)) {
            return new SubmissionResult(student, lab.id(), allTests("wrong-lab", "this notebook is "
                    + (declared != null ? "lab '" + declared + "'" : "not from this lab (none of its check cells)")
                    + ", not lab '" + lab.id() + "': submit " + lab.name()), seconds(t0));
        }
        Raw raw;
        try {
            raw = runAll(plan(sub), deadlineNanos);
        } catch (RuntimeException e) { // the JVM would not even start
            return new SubmissionResult(student, lab.id(), allTests("error", "grading failed: " + e), seconds(t0));
        }
        List<TestResult> tests = new ArrayList<>();
        for (Lab.Check k : lab.checks().values()) {
            Done d = raw.done.get(k.name());
            tests.add(d == null ? new TestResult(k.name(), 0, k.points(), "not-run",
                    "not run: the grading time budget ran out", List.of()) : score(k, d));
        }
        return new SubmissionResult(student, lab.id(), tests, seconds(t0));
    }

    private List<TestResult> allTests(String status, String why) {
        return lab.checks().values().stream().map(k -> new TestResult(k.name(), 0, k.points(), status, why, List.of()))
                .collect(Collectors.toList());
    }

    private TestResult score(Lab.Check k, Done d) {
        List<CheckLog.Entry> ref = reference.getOrDefault(k.name(), List.of());
        List<CheckLog.Entry> judged = new ArrayList<>();
        int passed = 0;
        for (CheckLog.Entry want : ref) {
            List<CheckLog.Entry> got = d.parts.stream().filter(p -> p.label().equals(want.label()))
                    .collect(Collectors.toList());
            boolean ok = !got.isEmpty() && got.stream().allMatch(CheckLog.Entry::passed);
            passed += ok ? 1 : 0;
            String msg = got.isEmpty() ? "not reached (the check stopped before this part)" : got.get(got.size() - 1)
                    .message();
            judged.add(new CheckLog.Entry(want.label(), ok, msg, want.hidden()));
        }
        boolean ranClean = d.run.outcome() == Sandbox.Outcome.OK;
        double score = ref.isEmpty() ? (ranClean ? k.points() : 0) : k.points() * passed / ref.size();
        String status = d.tamper != null ? d.tamper
                : !ranClean ? status(d.run)
                : Math.abs(score - k.points()) < 1e-9 ? "passed" : score > 0 ? "partial" : "failed";
        StringBuilder out = new StringBuilder();
        if (d.tamper != null) {
            out.append("The test cell '").append(k.name()).append("' was ").append(d.tamper)
                    .append(" in your notebook; the original test was run in its place.\n");
        }
        if (!ranClean) {
            out.append(status(d.run)).append(": ").append(d.run.error()).append('\n');
            if (d.run.outcome() == Sandbox.Outcome.COMPILE_ERROR) {
                d.studentErrors.forEach(e -> out.append("  your ").append(e).append('\n'));
            }
        }
        if (!d.run.output().isBlank()) {
            out.append(d.run.output().strip()).append('\n');
        }
        return new TestResult(k.name(), score, k.points(), status, out.toString().strip(), judged);
    }

    static String status(Sandbox.Run r) {
        switch (r.outcome()) {
            case TIMEOUT: return "timeout";
            case EXIT: return "exit";
            case COMPILE_ERROR: return "compile-error";
            case EXCEPTION:
                if ("java.lang.OutOfMemoryError".equals(r.exceptionClass())) {
                    return "out-of-memory";
                }
                return "java.lang.StackOverflowError".equals(r.exceptionClass()) ? "stack-overflow" : "error";
            default: return "passed";
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Grades every submission, {@code jobs} at a time, within the total budget; the results come back in the order
     * given.
     */
    public List<SubmissionResult> gradeAll(Map<String, Path> submissions) {
        long deadline = System.nanoTime() + (long) (options.budgetSeconds() * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.jobs()));
        try {
            List<Future<SubmissionResult>> futures = new ArrayList<>();
            submissions.forEach((student, path) -> futures.add(pool.submit(() -> grade(student, path, deadline))));
            List<SubmissionResult> results = new ArrayList<>();
            List<String> names = new ArrayList<>(submissions.keySet());
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException | InterruptedException e) {
                    results.add(new SubmissionResult(names.get(i), lab.id(), allTests("error", "grading failed: "
                            + e.getCause()), 0));
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
