package nnlab.grade;

import nnlab.notebook.CheckLog;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What grading writes: per submission Gradescope's {@code results.json} and a Markdown feedback file, and one
 * gradebook CSV for the class. Hidden-test details (their messages) appear only when {@code showHidden} is set;
 * otherwise a student sees how many hidden tests passed.
 */
public final class Reports {
    private Reports() {
    }

    /** The check's output for the student: what it printed, then its parts (hidden ones summarized). */
    static String output(TestResult t, boolean showHidden) {
        StringBuilder sb = new StringBuilder(t.output());
        int hidden = 0;
        int hiddenOk = 0;
        for (CheckLog.Entry p : t.parts()) {
            if (p.hidden() && !showHidden) {
                hidden++;
                hiddenOk += p.passed() ? 1 : 0;
                continue;
            }
            if (!p.passed() && !t.output().contains(p.message())) {
                sb.append(sb.length() == 0 ? "" : "\n").append("lost points: ").append(p.label()).append(": ")
                        .append(p.message()).append(p.hidden() ? " (hidden test)" : "");
            }
        }
        if (hidden > 0) {
            sb.append(sb.length() == 0 ? "" : "\n").append(String.format(Locale.ROOT, "hidden tests: %d of %d passed",
                    hiddenOk, hidden));
        }
        return sb.toString();
    }

    /** Gradescope's results.json for one submission. */
    public static JsonObject gradescope(SubmissionResult r, boolean showHidden) {
        JsonObject o = new JsonObject();
        o.addProperty("score", round(r.score()));
        o.addProperty("execution_time", Math.round(r.seconds()));
        o.addProperty("output", String.format(Locale.ROOT, "%s: %s of %s points (graded by nnlab in %.0f s)", r.lab(),
                Lab.fmt(round(r.score())), Lab.fmt(r.maxScore()), r.seconds()));
        o.addProperty("stdout_visibility", "hidden");
        JsonArray tests = new JsonArray();
        for (TestResult t : r.tests()) {
            JsonObject j = new JsonObject();
            j.addProperty("name", t.name());
            j.addProperty("score", round(t.score()));
            j.addProperty("max_score", t.maxScore());
            j.addProperty("status", t.full() ? "passed" : "failed");
            j.addProperty("output", "[" + t.status() + "] " + output(t, showHidden));
            j.addProperty("visibility", "visible");
            JsonObject extra = new JsonObject();
            extra.addProperty("nnlab_status", t.status());
            j.add("extra_data", extra);
            tests.add(j);
        }
        o.add("tests", tests);
        return o;
    }

    /** Markdown feedback for one student. */
    public static String feedback(SubmissionResult r, boolean showHidden) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.lab()).append(": feedback for ").append(r.student()).append("\n\n");
        sb.append("**Score: ").append(Lab.fmt(round(r.score()))).append(" / ").append(Lab.fmt(r.maxScore()))
                .append("**\n\n| check | score | status |\n|---|---|---|\n");
        for (TestResult t : r.tests()) {
            sb.append("| ").append(t.name()).append(" | ").append(Lab.fmt(round(t.score()))).append(" / ")
                    .append(Lab.fmt(t.maxScore())).append(" | ").append(t.status()).append(" |\n");
        }
        for (TestResult t : r.tests()) {
            sb.append("\n## ").append(t.name()).append(" (").append(t.status()).append(")\n\n");
            String out = output(t, showHidden);
            sb.append(out.isBlank() ? "All good.\n" : "```\n" + out + "\n```\n");
        }
        return sb.toString();
    }

    /** One row per student: total, then each check's score, then each check's status. */
    public static String gradebook(List<SubmissionResult> results, List<String> checks) {
        StringBuilder sb = new StringBuilder("student,total,max");
        checks.forEach(c -> sb.append(',').append(csv(c)));
        checks.forEach(c -> sb.append(',').append(csv(c + " status")));
        sb.append('\n');
        for (SubmissionResult r : results) {
            sb.append(csv(r.student())).append(',').append(Lab.fmt(round(r.score()))).append(',')
                    .append(Lab.fmt(r.maxScore()));
            for (String c : checks) {
                sb.append(',').append(r.tests().stream().filter(t -> t.name().equals(c)).findFirst()
                        .map(t -> Lab.fmt(round(t.score()))).orElse(""));
            }
            for (String c : checks) {
                sb.append(',').append(r.tests().stream().filter(t -> t.name().equals(c)).findFirst()
                        .map(TestResult::status).orElse(""));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes results.json and feedback.md into dir. */
    public static void write(SubmissionResult r, Path dir, boolean showHidden) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                .create().toJson(gradescope(r, showHidden)) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("feedback.md"), feedback(r, showHidden), StandardCharsets.UTF_8);
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
