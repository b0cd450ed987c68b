package nnlab.grade;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A graded lab: its source notebook (solutions and hidden tests, the instructor's copy) and the released student
 * notebook ({@code ./nnlab release}), whose check cells carry the checksum of their visible source.
 *
 * <p>The source declares its lab id and total in notebook metadata, {@code "nnlab": {"lab": "lab1-softmax",
 * "points": 30}}; each check cell carries {@code "nnlab": {"check": "name", "points": 10}} and may set
 * {@code "timeout"} (seconds, wall clock) for itself.
 */
public final class Lab {
    /** A check cell of the source: the code the grader runs, whatever the submission holds at that place. */
    public record Check(String name, double points, int cell, String source, boolean hasHidden, String checksum,
                        double timeoutSeconds) {
    }

    private static final Pattern BEGIN_HIDDEN = Pattern.compile("^\\s*//\\s*BEGIN HIDDEN TESTS\\s*$");
    private static final Pattern END_HIDDEN = Pattern.compile("^\\s*//\\s*END HIDDEN TESTS\\s*$");

    private final String id;
    private final String name;
    private final double total;
    private final List<Ipynb.Cell> cells;
    private final Map<String, Check> checks;

    private Lab(String id, String name, double total, List<Ipynb.Cell> cells, Map<String, Check> checks) {
        this.id = id;
        this.name = name;
        this.total = total;
        this.cells = cells;
        this.checks = checks;
    }

    /**
     * Reads and validates a lab.
     *
     * @throws LabFormatException naming notebook, cell and problem: a hidden test outside a check cell, a duplicate
     *     check name, a check without points, points that do not add up to the declared total, a check the release
     *     lacks or whose release carries no checksum
     */
    public static Lab load(Path source, Path released) throws IOException {
        Ipynb src = Ipynb.read(source);
        Ipynb rel = released == null ? null : Ipynb.read(released);
        String nb = src.name();
        String id = src.nnlab().has("lab") ? src.nnlab().get("lab").getAsString() : null;
        if (id == null || id.isBlank()) {
            throw new LabFormatException(nb + ": notebook metadata lacks the lab id: set \"nnlab\": {\"lab\": \"<id>\", "
                    + "\"points\": <total>}");
        }
        Map<String, String> checksums = new LinkedHashMap<>();
        if (rel != null) {
            for (Ipynb.Cell c : rel.cells()) {
                if (c.check() != null) {
                    checksums.put(c.check(), c.string("checksum"));
                }
            }
        }
        Map<String, Check> checks = new LinkedHashMap<>();
        double sum = 0;
        for (Ipynb.Cell c : src.cells()) {
            String where = nb + ": cell " + c.number();
            boolean hidden = c.source().lines().anyMatch(l -> BEGIN_HIDDEN.matcher(l).matches());
            if (c.check() == null) {
                if (hidden) {
                    throw new LabFormatException(where + ": hidden tests outside a check cell: move them into a cell "
                            + "with metadata nnlab.check");
                }
                continue;
            }
            if (!c.isCode()) {
                throw new LabFormatException(where + ": check '" + c.check() + "' is a " + c.type() + " cell; "
                        + "check cells must be code cells");
            }
            Check before = checks.get(c.check());
            if (before != null) {
                throw new LabFormatException(where + ": check name '" + c.check() + "' is already used by cell "
                        + before.cell() + ": check names must be unique");
            }
            double points = c.number("points", Double.NaN);
            if (!(points >= 0)) {
                throw new LabFormatException(where + ": check '" + c.check() + "' has no points: set metadata "
                        + "nnlab.points to a number");
            }
            String visible = Grader.sha256(visibleSource(c.source()));
            if (rel != null && !visible.equals(checksums.get(c.check()))) {
                throw new LabFormatException(rel.name() + " (the release): check '" + c.check() + "' of cell "
                        + c.number() + " is missing, or its checksum is not that of the source's visible test: "
                        + "run ./nnlab release again");
            }
            sum += points;
            checks.put(c.check(), new Check(c.check(), points, c.number(), c.source(), hidden, visible,
                    c.number("timeout", Double.NaN)));
        }
        double total = src.nnlab().has("points") ? src.nnlab().get("points").getAsDouble() : Double.NaN;
        if (checks.isEmpty()) {
            throw new LabFormatException(nb + ": no check cells (cells with metadata nnlab.check and nnlab.points)");
        }
        if (!(Math.abs(sum - total) < 1e-9)) {
            StringBuilder sb = new StringBuilder();
            checks.values().forEach(k -> sb.append(String.format(Locale.ROOT, "cell %d: %s = %s; ", k.cell(),
                    k.name(), fmt(k.points()))));
            throw new LabFormatException(nb + ": points do not add up: the check cells give " + fmt(sum)
                    + " but the notebook declares " + (Double.isNaN(total) ? "none" : fmt(total))
                    + " (metadata nnlab.points); " + sb.toString().trim());
        }
        return new Lab(id, nb, total, src.cells(), checks);
    }

    /**
     * A check cell as students see it: the source without its hidden-test blocks (the release checksums this text;
     * {@link #load} with a release verifies that both agree).
     */
    static String visibleSource(String source) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : source.split("\n", -1)) {
            if (BEGIN_HIDDEN.matcher(line).matches()) {
                in = true;
            } else if (END_HIDDEN.matcher(line).matches()) {
                in = false;
            } else if (!in) {
                sb.append(sb.length() == 0 && line.isEmpty() && false ? "" : line).append('\n');
            }
        }
        return sb.substring(0, Math.max(0, sb.length() - 1));
    }

    /** A lab from its source alone: the visible tests' checksums are computed from it. */
    public static Lab load(Path source) throws IOException {
        return load(source, null);
    }

    static String fmt(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.format(Locale.ROOT, "%.2f", x);
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public double total() {
        return total;
    }

    /** The checks in source order, by name. */
    public Map<String, Check> checks() {
        return checks;
    }

    List<Ipynb.Cell> cells() {
        return cells;
    }

    /** The check names in source order. */
    public List<String> checkNames() {
        return new ArrayList<>(checks.keySet());
    }
}
