package nnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChecksTest {
    @Test
    void failedChecksAreNamedAndThrown() {
        Checks checks = new Checks("demo").that("gradients pass", false).that("data loaded", true);
        assertEquals(1, checks.failures().size());
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(shown, true, java.nio.charset.StandardCharsets.UTF_8));
        IllegalStateException e;
        try {
            e = assertThrows(IllegalStateException.class, checks::show);
        } finally {
            System.setOut(old);
        }
        assertTrue(shown.toString(java.nio.charset.StandardCharsets.UTF_8).contains("FAILED"), "the table is shown");
        assertTrue(e.getMessage().contains("gradients pass"), e.getMessage());
        assertEquals(2, checks.table().rowCount());
    }

    @Test
    void nearComparesWithTheToleranceOnlyInFullMode() {
        Checks checks = new Checks("demo").near("loss", 0.7863, 0.786302, 0.01).near("nan", Double.NaN, 1, 0.1);
        if (Mode.quick()) {
            assertTrue(checks.failures().isEmpty(), "quick mode lists numbers without checking them");
        } else {
            assertEquals(1, checks.failures().size(), "NaN is never near anything");
            assertTrue(checks.failures().get(0).startsWith("nan"), checks.failures().toString());
        }
    }

    @Test
    void atLeastIsABoundCheckedOnlyInFullMode() {
        Checks checks = new Checks("demo").atLeast("accuracy", 97.5, 97).atLeast("low", 79.9, 80)
                .atLeast("nan", Double.NaN, 0);
        assertEquals(3, checks.table().rowCount());
        if (Mode.quick()) {
            assertTrue(checks.failures().isEmpty(), "quick mode lists bounds without checking them");
        } else {
            assertEquals(2, checks.failures().size(), checks.failures().toString());
            assertTrue(checks.failures().get(0).startsWith("low") && checks.failures().get(0).contains("≥ 80"),
                    checks.failures().toString());
            assertTrue(checks.failures().get(1).startsWith("nan"), checks.failures().toString());
        }
    }
}
