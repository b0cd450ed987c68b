package nnlab.notebook;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The closing cell of a notebook: what its run must show, as a table, so that a reader sees at a glance that the
 * exercise was reproduced, and the notebook runner (CI) fails when it was not.
 *
 * <pre>{@code
 * new Checks("Notebook 01 against the exercise")
 *         .near("linear classifier: final loss", finalLoss, 0.786, 0.01)   // compared in full mode only
 *         .that("the backward pass passes the gradient check", check.passed())  // checked in both modes
 *         .show();
 * }</pre>
 *
 * {@link #near} compares with the exercise's published numbers, which only full mode reproduces; in quick mode it is
 * listed as not checked. {@link #that} holds in both modes. {@link #show} throws in a failing run, naming every
 * failed check.
 */
public final class Checks {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    public Checks(String title) {
        this.title = title;
    }

    /** |actual - expected| ≤ tolerance, in full mode. */
    public Checks near(String what, double actual, double expected, double tolerance) {
        String shown = Notebook.compact(actual);
        String wanted = Notebook.compact(expected) + " ± " + Notebook.compact(tolerance);
        if (Mode.quick()) {
            rows.add(new String[] {what, shown, wanted, "not checked (quick mode)"});
            return this;
        }
        boolean ok = Math.abs(actual - expected) <= tolerance; // false for NaN
        record(what, shown, wanted, ok);
        return this;
    }

    /** A condition about the full run (a statement the prose makes about it), listed but not checked in quick mode. */
    public Checks thatInFullMode(String what, boolean condition) {
        if (Mode.quick()) {
            rows.add(new String[] {what, String.valueOf(condition), "true", "not checked (quick mode)"});
            return this;
        }
        record(what, String.valueOf(condition), "true", condition);
        return this;
    }

    /** A condition that must hold in every mode. */
    public Checks that(String what, boolean condition) {
        record(what, String.valueOf(condition), "true", condition);
        return this;
    }

    private void record(String what, String shown, String wanted, boolean ok) {
        rows.add(new String[] {what, shown, wanted, ok ? "ok" : "FAILED"});
        if (!ok) {
            failures.add(what + " (got " + shown + ", expected " + wanted + ")");
        }
    }

    /** The checks as a table (columns: check, value, expected, result). */
    public Table table() {
        StringColumn check = StringColumn.create("check");
        StringColumn value = StringColumn.create("value");
        StringColumn expected = StringColumn.create("expected");
        StringColumn result = StringColumn.create("result");
        for (String[] r : rows) {
            check.append(r[0]);
            value.append(r[1]);
            expected.append(r[2]);
            result.append(r[3]);
        }
        return Table.create(title).addColumns(check, value, expected, result);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Shows the table; then throws an IllegalStateException naming the failed checks, if any. */
    public void show() {
        Notebook.table(table());
        if (!failures.isEmpty()) {
            throw new IllegalStateException(title + ": " + failures.size() + " check(s) failed: "
                    + String.join("; ", failures));
        }
    }
}
