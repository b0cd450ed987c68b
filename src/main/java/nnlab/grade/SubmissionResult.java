package nnlab.grade;

import java.util.List;

/** A graded submission: who, which lab, each check's result and how long grading took. */
public record SubmissionResult(String student, String lab, List<TestResult> tests, double seconds) {
    public double score() {
        return tests.stream().mapToDouble(TestResult::score).sum();
    }

    public double maxScore() {
        return tests.stream().mapToDouble(TestResult::maxScore).sum();
    }
}
