package nnlab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between nnlab's packages point one way (GUIDE §1): a package may use only packages of a lower rank.
 * Scans every import and every fully qualified {@code nnlab.x.Y} in src/main/java.
 *
 * <pre>
 *   0 math
 *   1 layers, optim                (independent of each other)
 *   2 loss                         (a Regularizer asks a model's layers which parameters are weights)
 *   3 train                        (the loop, its history and its progress line)
 *   4 gradcheck
 *   5 data                         (data sets hand out loss Targets)
 *   6 plot, svm, table
 *   7 notebook
 *   8 grade
 * </pre>
 * A new package gets a rank here; the test fails on a package it does not know.
 */
class PackageDependencyTest {
    static final Map<String, Integer> RANK = Map.ofEntries(Map.entry("math", 0), Map.entry("layers", 1),
            Map.entry("optim", 1), Map.entry("loss", 2), Map.entry("train", 3), Map.entry("gradcheck", 4),
            Map.entry("data", 5), Map.entry("plot", 6), Map.entry("svm", 6), Map.entry("table", 6),
            Map.entry("notebook", 7), Map.entry("grade", 8));

    private static final Pattern USE = Pattern.compile("\\bnnlab\\.([a-z]+)\\.[A-Za-z*]");

    @Test
    void everyArrowPointsToALowerRank() throws IOException {
        List<String> wrong = new ArrayList<>();
        java.util.Set<String> scanned = new java.util.TreeSet<>();
        Path root = Path.of("src/main/java/nnlab");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String from = root.relativize(f).getName(0).toString();
                if (f.getParent().equals(root)) {
                    continue; // classes directly in nnlab (none today) may use anything
                }
                Integer fromRank = RANK.get(from);
                if (fromRank == null) {
                    wrong.add("package nnlab." + from + " has no rank in PackageDependencyTest.RANK: add it");
                    continue;
                }
                scanned.add(from);
                String text = stripComments(Files.readString(f, StandardCharsets.UTF_8));
                Matcher m = USE.matcher(text);
                while (m.find()) {
                    String to = m.group(1);
                    Integer toRank = RANK.get(to);
                    if (to.equals(from)) {
                        continue;
                    }
                    if (toRank == null || toRank >= fromRank) {
                        wrong.add(root.relativize(f) + " (nnlab." + from + ", rank " + fromRank + ") uses nnlab." + to
                                + (toRank == null ? " (no rank)" : " (rank " + toRank + ")"));
                    }
                }
            }
        }
        assertTrue(scanned.containsAll(java.util.List.of("math", "layers", "loss", "train", "notebook", "grade")),
                "the scan saw only " + scanned + " under " + root.toAbsolutePath());
        assertTrue(wrong.isEmpty(), "dependencies pointing the wrong way:\n" + String.join("\n", wrong));
    }

    /** The source without comments (Javadoc may mention any package). String literals are kept. */
    static String stripComments(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }

    @Test
    void theScanSeesAWrongArrow() {
        String fake = "package nnlab.math;\nimport nnlab.train.History; // a wrong arrow\n/** nnlab.plot.Plots */";
        Matcher m = USE.matcher(stripComments(fake));
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            seen.add(m.group(1));
        }
        assertTrue(seen.equals(List.of("train")), seen.toString());
    }
}
