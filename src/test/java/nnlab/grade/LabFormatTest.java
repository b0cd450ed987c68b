package nnlab.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lab source the grader must refuse, naming the notebook, the cell and the problem. */
class LabFormatTest {
    @TempDir
    Path tmp;

    static JsonObject cell(String source, String check, double points) {
        JsonObject c = new JsonObject();
        c.addProperty("cell_type", "code");
        c.addProperty("source", source);
        JsonObject meta = new JsonObject();
        if (check != null) {
            JsonObject n = new JsonObject();
            n.addProperty("check", check);
            n.addProperty("points", points);
            meta.add("nnlab", n);
        }
        c.add("metadata", meta);
        return c;
    }

    Path lab(double total, JsonObject... cells) throws Exception {
        JsonObject nb = new JsonObject();
        JsonArray a = new JsonArray();
        for (JsonObject c : cells) {
            a.add(c);
        }
        nb.add("cells", a);
        JsonObject meta = new JsonObject();
        JsonObject n = new JsonObject();
        n.addProperty("lab", "lab-x");
        n.addProperty("points", total);
        meta.add("nnlab", n);
        nb.add("metadata", meta);
        return Notebooks.write(nb, tmp.resolve("bad-lab.ipynb"));
    }

    static String refused(Path p) {
        return assertThrows(LabFormatException.class, () -> Lab.load(p)).getMessage();
    }

    @Test
    void aBundleCarriesNoDataForALabThatLoadsNoneAndRefusesALabThatLoadsMnistItself(@TempDir Path dir)
            throws Exception {
        assertTrue(GradeMain.copyLabData("Matrix X = Matrix.zeros(3, 2);", dir.resolve("data")).isEmpty());
        assertTrue(Files.notExists(dir.resolve("data")));
        LabFormatException e = assertThrows(LabFormatException.class,
                () -> GradeMain.copyLabData("var m = Mnist.load();", dir.resolve("data")));
        assertTrue(e.getMessage().contains("MNIST"), e.getMessage());
    }

    @Test
    void hiddenTestOutsideACheckCell() throws Exception {
        String m = refused(lab(5, cell("int a = 1;", null, 0),
                cell("// BEGIN HIDDEN TESTS\nCheck.that(\"x\", () -> true);\n// END HIDDEN TESTS", null, 0),
                cell("Check.that(\"a\", () -> a == 1);", "a", 5)));
        assertTrue(m.startsWith("bad-lab.ipynb: cell 2: hidden tests outside a check cell"), m);
    }

    @Test
    void duplicateCheckNames() throws Exception {
        String m = refused(lab(10, cell("Check.that(\"a\", () -> true);", "same", 5),
                cell("Check.that(\"b\", () -> true);", "same", 5)));
        assertTrue(m.startsWith("bad-lab.ipynb: cell 2: check name 'same' is already used by cell 1"), m);
    }

    @Test
    void pointsThatDoNotAddUp() throws Exception {
        String m = refused(lab(30, cell("Check.that(\"a\", () -> true);", "a", 10),
                cell("Check.that(\"b\", () -> true);", "b", 15)));
        assertTrue(m.startsWith("bad-lab.ipynb: points do not add up: the check cells give 25 but the notebook "
                + "declares 30"), m);
        assertTrue(m.contains("cell 1: a = 10; cell 2: b = 15"), m);
    }

    @Test
    void theVisibleTestIsTheSourceWithoutItsHiddenBlock() {
        assertEquals("a();\nb();", Lab.visibleSource("a();\n// BEGIN HIDDEN TESTS\nsecret();\n// END HIDDEN TESTS\nb();"));
    }

    @Test
    void theCommandStopsWithTheMessage() throws Exception {
        Path p = lab(30, cell("Check.that(\"a\", () -> true);", "a", 10));
        Files.createDirectories(tmp.resolve("subs"));
        LabFormatException e = assertThrows(LabFormatException.class, () -> GradeMain.run(new String[] {"grade",
            "--source", p.toString(), "--out", tmp.resolve("out").toString(), tmp.resolve("subs").toString()}));
        assertTrue(e.getMessage().contains("bad-lab.ipynb: points do not add up"), e.getMessage());
    }
}
