package nnlab.notebook;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line that updates in place, in a terminal and in a notebook (both honour the carriage return), instead
 * of thousands of lines: {@code [#######.......]  420/1000  42%  loss 0.3412  3.1 s}. Updates are throttled to a
 * few per second so notebooks do not receive a flood of output messages.
 */
public final class ProgressLine {
    private static final int WIDTH = 30;
    private final int total;
    private final String label;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastPrint;

    public ProgressLine(String label, int total) {
        this(label, total, System.out);
    }

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

    private void print(int done, String extra) {
        long now = System.nanoTime();
        int filled = (int) ((long) WIDTH * Math.min(done, total) / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        out.print(String.format(Locale.ROOT, "\r%s [%s] %d/%d %3d%% %s %.1f s", label, bar, done, total,
                100L * done / total, extra == null ? "" : extra, (now - start) / 1e9));
        if (done >= total) {
            out.println();
        }
        out.flush();
    }
}
