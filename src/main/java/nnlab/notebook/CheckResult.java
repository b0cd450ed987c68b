package nnlab.notebook;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of one named self-check: its parts (one per compared quantity, e.g. one per parameter gradient), each
 * right or wrong with a message that says so with numbers. {@link Check} builds these and throws on failure in a
 * notebook; a grader uses the same results to give points per correct part ({@link #score}).
 *
 * @param name  the check's name (a notebook check cell's {@code nnlab.check} metadata)
 * @param parts what was compared, in order
 */
public record CheckResult(String name, List<Part> parts) {
    /** One compared quantity: its name, whether it is right, and what was found ("differs at [3,1]: ..." or "ok"). */
    public record Part(String what, boolean ok, String detail) {
        /** "dW1 differs at [3,1]: relative error 0.41" or "db1 ok". */
        public String message() {
            String d = ok && detail.isEmpty() ? "ok" : detail;
            return what.isEmpty() ? d : what + " " + d;
        }
    }

    public CheckResult {
        parts = List.copyOf(parts);
    }

    public boolean passed() {
        return parts.stream().allMatch(Part::ok);
    }

    /** The share of parts that are right, in [0, 1] (1 for a check without parts). */
    public double fraction() {
        return parts.isEmpty() ? 1 : (double) parts.stream().filter(Part::ok).count() / parts.size();
    }

    /** Partial credit: {@code points} times the share of right parts. */
    public double score(double points) {
        return points * fraction();
    }

    /** "softmax-grad: dW differs at [1,2]: relative error 0.41; db ok" (a part named like the check is not named). */
    public String message() {
        return name + ": " + parts.stream().map(p -> p.what().equals(name) ? new Part("", p.ok(), p.detail()) : p)
                .map(Part::message).collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
        return (passed() ? "passed " : "FAILED ") + message();
    }

    /**
     * Prints the message when every part is right; throws a {@link CheckFailure} naming what is wrong otherwise
     * (under a grader it prints that instead, see {@link CheckLog}).
     */
    public CheckResult orThrow() {
        CheckLog.record(this);
        if (!passed()) {
            if (CheckLog.grading()) { // the grader goes on to the next part (see CheckLog)
                CheckLog.print("FAILED " + message());
                return this;
            }
            throw new CheckFailure(this);
        }
        CheckLog.print("passed " + message());
        return this;
    }
}
