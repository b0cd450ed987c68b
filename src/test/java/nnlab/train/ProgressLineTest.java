package nnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line rewrites itself with carriage returns and ends with its last state and a summary line. */
class ProgressLineTest {
    @Test
    void updatesInPlaceThenPrintsTheSummaryOnItsOwnLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine("training", 1000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (int i = 1; i <= 1000; i++) {
            line.update(i, "loss", 1.0 / i);
        }
        line.finish("trained 1000 iterations in {s}: loss 0.0010");
        String out = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = out.split("\n", -1);
        assertEquals(3, lines.length, "progress line, summary, and the final newline: " + out);
        assertTrue(lines[0].startsWith("\r"), out);
        assertTrue(out.chars().filter(c -> c == '\r').count() < 1000, "updates are throttled: " + out);
        String last = lines[0].substring(lines[0].lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("training [" + "#".repeat(30) + "] 1000/1000 100% loss 0.0010"), last);
        assertTrue(lines[1].matches("trained 1000 iterations in [0-9]+\\.[0-9] s: loss 0\\.0010"), lines[1]);
        assertEquals("", lines[2]);
    }

    @Test
    void aLineStoppedEarlyIsClosedBeforeTheSummary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine("training", 10, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        line.update(3, "loss", 0.5);
        line.finish("stopped after 3 of 10");
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(3, lines.length);
        assertTrue(lines[0].contains("3/10"), lines[0]);
        assertEquals("stopped after 3 of 10", lines[1]);
    }
}
