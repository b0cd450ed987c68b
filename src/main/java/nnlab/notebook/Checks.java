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
 * {@link #near} compares with the exercise's published numbers, which only full mode reproduces, and {@link #atLeast}
 * with a bound a full run must reach; in quick mode both are listed as not checked. {@link #that} holds in both modes. {@link #show} throws in a failing run, naming every
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
        return inFullMode(what, Notebook.compact(actual),
                Notebook.compact(expected) + " ± " + Notebook.compact(tolerance),
                Math.abs(actual - expected) <= tolerance); // false for NaN
    }

    /** A condition about the full run (a statement the prose makes about it), listed but not checked in quick mode. */
    public Checks thatInFullMode(String what, boolean condition) {
        return inFullMode(what, String.valueOf(condition), "true", condition);
    }

    /**
     * actual ≥ minimum, in full mode: a bound a full run must reach (e.g. an accuracy on data that differs from the
     * exercise's, where no published number applies). Quick runs are too short for it and list it as not checked.
     */
    public Checks atLeast(String what, double actual, double minimum) {
        return inFullMode(what, Notebook.compact(actual), "≥ " + Notebook.compact(minimum),
                actual >= minimum); // false for NaN
    }

    /** Records a full-mode check; quick mode lists it as not checked. */
    private Checks inFullMode(String what, String shown, String wanted, boolean ok) {
        if (Mode.quick()) {
            rows.add(new String[] {what, shown, wanted, "not checked (quick mode)"});
            return this;
        }
        record(what, shown, wanted, ok);
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
