package nnlab.gradcheck;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The outcome of a gradient check, one entry per parameter. */
public final class GradCheckReport {
    /**
     * One parameter's result: its shape, how many entries were checked, the largest relative error, where it
     * occurred (row, col) with the analytic and numerical values there, and whether it is under the threshold.
     */
    public record Entry(String name, int rows, int cols, int checked, double maxRelError, int worstRow,
                        int worstCol, double analytic, double numerical, boolean passed) {
    }

    private final List<Entry> entries;
    private final double threshold;
    private final double h;

    GradCheckReport(List<Entry> entries, double threshold, double h) {
        this.entries = List.copyOf(entries);
        this.threshold = threshold;
        this.h = h;
    }

    /** One entry per parameter, in the order checked. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entry of the named parameter. */
    public Entry entry(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter '" + name + "' in this report"));
    }

    /** Whether every checked entry stayed below the threshold. */
    public boolean passed() {
        return entries.stream().allMatch(Entry::passed);
    }

    /** Names of the parameters whose gradient failed the check. */
    public List<String> failures() {
        return entries.stream().filter(e -> !e.passed()).map(Entry::name).collect(Collectors.toList());
    }

    /** The largest relative error over every parameter. */
    public double maxRelError() {
        return entries.stream().mapToDouble(Entry::maxRelError).max().orElse(0);
    }

    /** The relative error above which an entry fails. */
    public double threshold() {
        return threshold;
    }

    /** The report as a table, one row per parameter (shape, entries checked, largest error, result). */
    public Table toTable() {
        return Table.create("gradient check (h=" + h + ", threshold=" + threshold + ")",
                StringColumn.create("parameter", entries.stream().map(Entry::name).toArray(String[]::new)),
                StringColumn.create("shape", entries.stream().map(e -> "(" + e.rows() + "x" + e.cols() + ")")
                        .toArray(String[]::new)),
                IntColumn.create("checked", entries.stream().mapToInt(Entry::checked).toArray()),
                DoubleColumn.create("max_rel_error", entries.stream().mapToDouble(Entry::maxRelError).toArray()),
                StringColumn.create("worst_at", entries.stream().map(e -> "[" + e.worstRow() + "," + e.worstCol()
                        + "]").toArray(String[]::new)),
                DoubleColumn.create("analytic", entries.stream().mapToDouble(Entry::analytic).toArray()),
                DoubleColumn.create("numerical", entries.stream().mapToDouble(Entry::numerical).toArray()),
                BooleanColumn.create("passed", entries.stream().map(Entry::passed).toArray(Boolean[]::new)));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-10s %-12s %8s %13s %12s %14s %14s  %s%n", "parameter", "shape",
                "checked", "max rel err", "worst at", "analytic", "numerical", "result"));
        for (Entry e : entries) {
            sb.append(String.format(Locale.ROOT, "%-10s %-12s %8d %13.3e %12s %14.6e %14.6e  %s%n", e.name(),
                    "(" + e.rows() + "x" + e.cols() + ")", e.checked(), e.maxRelError(),
                    "[" + e.worstRow() + "," + e.worstCol() + "]", e.analytic(), e.numerical(),
                    e.passed() ? "ok" : "FAIL"));
        }
        sb.append(passed() ? "all gradients match (max relative error " : "gradient check FAILED for ")
                .append(passed() ? String.format(Locale.ROOT, "%.2e < %.0e)", maxRelError(), threshold)
                        : failures() + String.format(Locale.ROOT, " (threshold %.0e)", threshold));
        return sb.toString();
    }
}
