package nnlab.notebook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What the self-checks of a check cell found, for a grader: every {@link CheckResult#orThrow} of the cell is logged
 * here. Under a grader (system property {@code nnlab.grading=true}, set in the student's JVM) a failing check is
 * logged and printed instead of thrown, so the cell goes on and every later part still earns its credit; the
 * comparisons and tolerances are the self-checks' own. The grader brackets each check cell with {@link #begin} and
 * {@link #end}, and marks where the cell's hidden tests start ({@link #hiddenFollow}): their results are logged but
 * not printed.
 */
public final class CheckLog {
    /** One logged part: {@code label} is the check's name and the part's ({@code softmax-grad: dW}). */
    public record Entry(String label, boolean passed, String message, boolean hidden) {
    }

    private static final List<Entry> entries = new ArrayList<>();
    private static boolean hidden;

    private CheckLog() {
    }

    /** True in a student's JVM under the grader. */
    public static boolean grading() {
        return Boolean.getBoolean("nnlab.grading");
    }

    static synchronized void record(CheckResult r) {
        for (CheckResult.Part p : r.parts()) {
            String label = p.what().isEmpty() ? r.name() : r.name() + ": " + p.what();
            entries.add(new Entry(label, p.ok(), p.message(), hidden));
        }
    }

    /** Prints a check's line, except for hidden tests under the grader. */
    static void print(String line) {
        if (!(hidden && grading())) {
            System.out.println(line);
        }
    }

    /** The grader, before a check cell: forget what came before. */
    public static synchronized void begin() {
        entries.clear();
        hidden = false;
    }

    /** The grader, where a check cell's hidden tests begin. */
    public static synchronized void hiddenFollow() {
        hidden = true;
    }

    /** The grader, after a check cell: the parts logged since {@link #begin}, encoded as one string. */
    public static synchronized String end() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.passed() ? '1' : '0').append(e.hidden() ? 'h' : 'v').append('\t').append(flat(e.label()))
                    .append('\t').append(flat(e.message())).append('\n');
        }
        entries.clear();
        hidden = false;
        return Base64.getEncoder().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes what {@link #end} returned (in the grader's JVM). */
    public static List<Entry> decode(String encoded) {
        List<Entry> out = new ArrayList<>();
        for (String l : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).split("\n")) {
            String[] f = l.split("\t", 3);
            if (f.length == 3) {
                out.add(new Entry(f[1], f[0].startsWith("1"), f[2], f[0].endsWith("h")));
            }
        }
        return out;
    }

    private static String flat(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }
}
