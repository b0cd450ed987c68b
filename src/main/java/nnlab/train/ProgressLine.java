package nnlab.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line that updates in place, in a terminal and in a notebook (both honour the carriage return), instead
 * of thousands of lines: {@code [#######.......]  420/1000  42%  loss 0.3412  3.1 s}. Updates are throttled to a
 * few per second so notebooks do not receive a flood of output messages. {@link #finish(String)} closes the line and
 * prints a one-line summary below it, so the cell ends with the final state and the result, e.g.
 * <pre>
 * training [##############################] 3000/3000 100% loss 0.2450 1.9 s
 * trained 3000 iterations in 1.9 s: loss 0.2450, training accuracy 98.0%
 * </pre>
 */
public final class ProgressLine {
    private static final int WIDTH = 30;
    private final int total;
    private final String label;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastPrint;
    private boolean ended;

    /** A progress line on standard output for {@code total} units of work. */
    public ProgressLine(String label, int total) {
        this(label, total, System.out);
    }

    /** A progress line on {@code out} for {@code total} units of work. */
    public ProgressLine(String label, int total, PrintStream out) {
        this.label = label;
        this.total = Math.max(1, total);
        this.out = out;
    }

    /** Reports that {@code done} of the total steps are finished and the current value of a metric (e.g. the loss). */
    public void update(int done, String metric, double value) {
        if (due(done)) {
            print(done, String.format(Locale.ROOT, "%s %.4f", metric, value));
        }
    }

    /** Reports that {@code done} of the total steps are finished; extra is appended. */
    public void update(int done, String extra) {
        if (due(done)) {
            print(done, extra);
        }
    }

    /** Whether a line is due: the last step always prints, others at most four times a second. */
    private boolean due(int done) {
        long now = System.nanoTime();
        if (done < total && now - lastPrint < 250_000_000L) {
            return false;
        }
        lastPrint = now;
        return true;
    }

    /**
     * Ends the progress: the line shows its last state (if the last step was not reported, the line stays as it was)
     * and {@code summary} follows on a line of its own. {@code {s}} in the summary is replaced by the seconds since
     * the line was created, e.g. {@code finish("trained 300 iterations in {s}: loss 0.2450")}.
     */
    public void finish(String summary) {
        if (lastPrint != 0 && !ended) {
            out.println();
        }
        ended = true;
        out.println(summary.replace("{s}", String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9)));
        out.flush();
    }

    private void print(int done, String extra) {
        long now = System.nanoTime();
        int filled = (int) ((long) WIDTH * Math.min(done, total) / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        out.print(String.format(Locale.ROOT, "\r%s [%s] %d/%d %3d%% %s %.1f s", label, bar, done, total,
                100L * done / total, extra == null ? "" : extra, (now - start) / 1e9));
        if (done >= total) {
            out.println();
            ended = true;
        }
        out.flush();
    }
}
