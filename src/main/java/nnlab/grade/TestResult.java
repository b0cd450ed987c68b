package nnlab.grade;

import nnlab.notebook.CheckLog;
import java.util.List;

/**
 * One check of one submission, as graded.
 *
 * @param status {@code passed}, {@code partial}, {@code failed}, {@code error}, {@code compile-error},
 *     {@code timeout}, {@code exit} (System.exit or a crash), {@code out-of-memory}, {@code stack-overflow},
 *     {@code edited} / {@code deleted} (the submission changed or removed the test cell: the instructor's cell was
 *     run anyway and its score counts), {@code empty-notebook}, {@code wrong-lab}, {@code unreadable},
 *     {@code not-run} (the time budget ran out)
 * @param parts the parts the instructor's solution records for this check, as this submission did them
 * @param output what the check printed and why it lost points (visible parts only; hidden ones are in parts)
 */
public record TestResult(String name, double score, double maxScore, String status, String output,
                         List<CheckLog.Entry> parts) {
    public boolean full() {
        return Math.abs(score - maxScore) < 1e-9;
    }
}
