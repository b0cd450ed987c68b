package nnlab.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The robustness suite: a correct, a half-correct and hostile submissions of lab 1, graded in one run, each in its
 * own JVM. Every status must be right, every results file written, the correct one full marks, the half-correct
 * one its expected partial score.
 */
class GradeSuiteTest {
    static final Path SOURCE = Path.of("labs/01-softmax.ipynb");
    static final String SOLVED_LINE = "return new LossAndGrads(loss, X.T().dot(dscores).add(W.times(reg)), "
            + "dscores.colSums());";

    /** Kept after the run: ./nnlab test grades the same submissions with the Gradescope bundle and compares. */
    static final Path DIR = Path.of("target/grade-suite");

    static String first(String method, String statement) {
        return method.replace("    int n = X.rows();", "    " + statement + "\n    int n = X.rows();");
    }

    @Test
    void gradesCorrectHalfCorrectAndHostileSubmissionsInOneRun() throws Exception {
        JsonObject solved = Notebooks.solved(SOURCE);
        Path subs = DIR.resolve("submissions");
        String method = "LossAndGrads softmaxLoss(";
        Map<String, JsonObject> nbs = new LinkedHashMap<>();
        nbs.put("correct", solved);
        // db always zero: the loss is right, dW is right, db is wrong (half of the gradient parts), training works
        nbs.put("half", Notebooks.edit(solved, method, s -> s.replace(SOLVED_LINE,
                "return new LossAndGrads(loss, X.T().dot(dscores).add(W.times(reg)), Matrix.zeros(1, W.cols()));")));
        nbs.put("loop", Notebooks.edit(solved, method, s -> first(s, "if (X.rows() > 0) while (true) { }")));
        nbs.put("exit", Notebooks.edit(solved, method, s -> first(s, "if (X.rows() > 0) System.exit(3);")));
        nbs.put("oom", Notebooks.edit(solved, method, s -> first(s, "if (X.rows() > 0) { List<double[]> hog = "
                + "new ArrayList<>(); while (true) hog.add(new double[10_000_000]); }")));
        nbs.put("stack", Notebooks.edit(solved, method, s -> first(s,
                "if (X.rows() > 0) return softmaxLoss(W, b, X, y, reg);")));
        nbs.put("compile", Notebooks.edit(solved, method, s -> s.replace("double loss =", "double loss = oops +")));
        nbs.put("deleted", Notebooks.without(solved, "softmax-grad"));
        nbs.put("edited", Notebooks.edit(solved, "Check.near(\"softmax-loss", s -> "System.out.println(\"PASS\");"));
        JsonObject empty = solved.deepCopy();
        empty.add("cells", new JsonArray());
        nbs.put("empty", empty);
        nbs.put("otherlab", Notebooks.read(Path.of("notebooks/00-getting-started.ipynb")));
        for (Map.Entry<String, JsonObject> e : nbs.entrySet()) {
            Notebooks.write(e.getValue(), subs.resolve(e.getKey() + ".ipynb"));
        }
        Files.writeString(subs.resolve("garbage.ipynb"), "this is not a notebook");

        Path out = DIR.resolve("out");
        int rc = GradeMain.run(new String[] {"grade", "--source", SOURCE.toString(), "--out", out.toString(),
            "--timeout", "45", "--heap", "256", subs.toString()});
        assertEquals(0, rc);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("correct", "30 passed passed passed");
        expected.put("half", "25 passed partial passed");
        expected.put("loop", "0 timeout timeout timeout");
        expected.put("exit", "0 exit exit exit");
        expected.put("oom", "0 out-of-memory out-of-memory out-of-memory");
        expected.put("stack", "0 stack-overflow stack-overflow stack-overflow");
        expected.put("compile", "0 compile-error compile-error compile-error");
        expected.put("deleted", "30 passed deleted passed");
        expected.put("edited", "30 edited passed passed");
        expected.put("empty", "0 empty-notebook empty-notebook empty-notebook");
        expected.put("otherlab", "0 wrong-lab wrong-lab wrong-lab");
        expected.put("garbage", "0 unreadable unreadable unreadable");
        Map<String, String> got = new LinkedHashMap<>();
        for (String student : expected.keySet()) {
            Path results = out.resolve(student).resolve("results.json");
            assertTrue(Files.exists(results), "no results.json for " + student);
            assertTrue(Files.exists(out.resolve(student).resolve("feedback.md")), "no feedback.md for " + student);
            JsonObject r = JsonParser.parseString(Files.readString(results, StandardCharsets.UTF_8)).getAsJsonObject();
            List<String> statuses = r.getAsJsonArray("tests").asList().stream()
                    .map(t -> t.getAsJsonObject().getAsJsonObject("extra_data").get("nnlab_status").getAsString())
                    .collect(Collectors.toList());
            got.put(student, Lab.fmt(r.get("score").getAsDouble()) + " " + String.join(" ", statuses));
        }
        assertEquals(expected, got);
        String book = Files.readString(out.resolve("gradebook.csv"));
        assertTrue(book.startsWith("student,total,max,softmax-loss,softmax-grad,softmax-train"), book);
        assertEquals(expected.size() + 1, book.lines().count(), book);
        String half = Files.readString(out.resolve("half").resolve("feedback.md"));
        assertTrue(half.contains("db differs at [0,"), half);
        assertTrue(half.contains("relative error"), half);
        assertTrue(half.contains("dW ok"), half);
        assertTrue(half.contains("hidden tests: 1 of 2 passed"), half);
    }
}
