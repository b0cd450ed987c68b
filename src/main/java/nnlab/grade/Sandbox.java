package nnlab.grade;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * One student's JVM: a JShell whose snippets execute in a separate process (JShell's JDI execution engine) started
 * with a heap cap, so nothing a submission does (an endless loop, {@code System.exit}, filling the heap, a stack
 * overflow) reaches the grader. Cells run snippet by snippet as the notebook kernels run them (they are JShell-based
 * too), each cell under a wall-clock limit: at the limit the running snippet is stopped, and if it does not stop the
 * process is killed.
 */
final class Sandbox implements AutoCloseable {
    /** How a cell ended. */
    enum Outcome { OK, COMPILE_ERROR, EXCEPTION, TIMEOUT, EXIT }

    /** A cell's run: how it ended, what it printed, and the error (compiler message or exception) if any. */
    record Run(Outcome outcome, String output, String error, String exceptionClass) {
    }

    private static final long GRACE_MS = 5_000;
    private static final int MAX_OUTPUT = 200_000;

    private final JShell shell;
    private final CappedBuffer buffer = new CappedBuffer(MAX_OUTPUT);
    private final AtomicBoolean dead = new AtomicBoolean();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nnlab-grade-watchdog");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts a fresh JVM.
     *
     * @param classpath entries for the student's code (nnlab's jar and its dependencies)
     * @param heapMegabytes the heap cap of the student's JVM (-Xmx)
     * @param imports the preloaded imports (the kernel's init script), one snippet per line
     */
    Sandbox(List<String> classpath, int heapMegabytes, String imports) {
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        shell = JShell.builder().out(out).err(out)
                .remoteVMOptions("-Xmx" + heapMegabytes + "m", "-Djava.awt.headless=true", "-Dnnlab.grading=true",
                        "--add-modules=jdk.incubator.vector", "-XX:+UseSerialGC")
                .build();
        shell.onShutdown(s -> dead.set(true));
        classpath.forEach(shell::addToClasspath);
        for (String line : imports.split("\n")) {
            if (!line.isBlank()) {
                shell.eval(line.strip());
            }
        }
        buffer.take();
    }

    boolean alive() {
        return !dead.get();
    }

    /** Runs a cell's source under a wall-clock limit. */
    Run run(String source, double timeoutSeconds) {
        if (dead.get()) {
            return new Run(Outcome.EXIT, "", "the JVM had already ended", null);
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        long limitMs = (long) Math.ceil(timeoutSeconds * 1000);
        ScheduledFuture<?> stop = watchdog.schedule(() -> {
            timedOut.set(true);
            shell.stop();
        }, limitMs, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> kill = watchdog.schedule(() -> {
            timedOut.set(true);
            shell.close(); // the snippet ignored stop(): end the process
        }, limitMs + GRACE_MS, TimeUnit.MILLISECONDS);
        Run r;
        try {
            r = runSnippets(source);
        } catch (IllegalStateException e) { // the JShell was closed: the VM is gone
            dead.set(true);
            r = new Run(Outcome.EXIT, "", "the JVM ended", null);
        } finally {
            stop.cancel(false);
            kill.cancel(false);
        }
        String output = buffer.take();
        if (timedOut.get()) {
            return new Run(Outcome.TIMEOUT, output, String.format(Locale.ROOT,
                    "stopped after the time limit of %s s (an endless loop, or far too slow)", Lab.fmt(timeoutSeconds)),
                    null);
        }
        if (dead.get()) {
            return new Run(Outcome.EXIT, output, "the student's JVM ended during this cell (System.exit, or it "
                    + "crashed)", null);
        }
        return new Run(r.outcome(), output, r.error(), r.exceptionClass());
    }

    private Run runSnippets(String source) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = source;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            String snippet = info.source();
            if (snippet == null || info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE
                    || info.completeness() == SourceCodeAnalysis.Completeness.CONSIDERED_INCOMPLETE) {
                snippet = rest; // let the compiler say what is missing
                rest = "";
            } else {
                rest = info.remaining();
            }
            if (snippet.isBlank()) {
                continue;
            }
            for (SnippetEvent e : shell.eval(snippet)) {
                if (dead.get()) {
                    return new Run(Outcome.EXIT, "", null, null);
                }
                if (e.causeSnippet() != null) {
                    continue; // an update of a dependent snippet, not this one
                }
                if (e.status() == Snippet.Status.REJECTED) {
                    return new Run(Outcome.COMPILE_ERROR, "", diagnostics(e.snippet()), null);
                }
                if (e.exception() instanceof UnresolvedReferenceException u) {
                    List<String> missing = shell.unresolvedDependencies(u.getSnippet()).collect(Collectors.toList());
                    return new Run(Outcome.COMPILE_ERROR, "", "uses `" + describe(u.getSnippet())
                            + "`, which does not compile" + (missing.isEmpty() ? ": " + diagnostics(u.getSnippet())
                            : ": it refers to " + String.join(", ", missing) + ", which is not defined"), null);
                }
                if (e.exception() != null) {
                    String cls = e.exception() instanceof EvalException ee ? ee.getExceptionClassName()
                            : e.exception().getClass().getName();
                    String m = e.exception().getMessage();
                    return new Run(Outcome.EXCEPTION, "", cls.replaceFirst("^java\\.lang\\.", "")
                            + (m == null ? "" : ": " + m), cls);
                }
            }
        }
        return new Run(Outcome.OK, "", null, null);
    }

    private String describe(Snippet s) {
        return s.source().lines().findFirst().orElse("").strip();
    }

    private String diagnostics(Snippet s) {
        List<String> msgs = new ArrayList<>();
        shell.diagnostics(s).forEach((Diag d) -> {
            String src = s.source();
            int line = 1 + (int) src.substring(0, (int) Math.min(Math.max(0, d.getStartPosition()), src.length()))
                    .chars().filter(c -> c == '\n').count();
            msgs.add("line " + line + " of `" + src.lines().skip(line - 1).findFirst().orElse("").strip() + "`: "
                    + d.getMessage(Locale.ROOT).replace('\n', ' '));
        });
        return msgs.isEmpty() ? "does not compile" : String.join("; ", msgs);
    }

    /** The value of an expression as JShell shows it (strings in quotes), or null if it fails. */
    String value(String expression, double timeoutSeconds) {
        if (dead.get()) {
            return null;
        }
        ScheduledFuture<?> kill = watchdog.schedule(shell::close, (long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
        try {
            for (SnippetEvent e : shell.eval(expression)) {
                if (e.causeSnippet() == null && e.exception() == null && e.status() == Snippet.Status.VALID) {
                    return e.value();
                }
            }
            return null;
        } catch (IllegalStateException e) {
            dead.set(true);
            return null;
        } finally {
            kill.cancel(false);
            buffer.take();
        }
    }

    @Override
    public void close() {
        try {
            shell.close();
        } finally {
            watchdog.shutdownNow();
        }
    }

    /** Collects a cell's output, keeping at most {@code cap} bytes of it. */
    private static final class CappedBuffer extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int cap;
        private boolean truncated;

        CappedBuffer(int cap) {
            this.cap = cap;
        }

        @Override
        public synchronized void write(int b) {
            if (bytes.size() < cap) {
                bytes.write(b);
            } else {
                truncated = true;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, cap - bytes.size());
            bytes.write(b, off, Math.min(room, len));
            truncated |= len > room;
        }

        synchronized String take() {
            String s = bytes.toString(StandardCharsets.UTF_8);
            if (truncated) {
                s += "\n... (output cut at " + cap + " bytes)";
            }
            bytes.reset();
            truncated = false;
            return s.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules"))
                    .reduce((a, b) -> a + "\n" + b).orElse("");
        }
    }
}
