package nnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** Both modes in one run, whatever NNLAB_QUICK says (the property takes precedence over the variable). */
    @Test
    void nearComparesWithTheToleranceOnlyInFullMode() {
        String old = System.getProperty(Mode.PROPERTY);
        try {
            System.setProperty(Mode.PROPERTY, "true");
            assertTrue(Mode.quick());
            Checks quick = new Checks("demo").near("loss", 0.7863, 0.786302, 0.01).near("nan", Double.NaN, 1, 0.1);
            assertTrue(quick.failures().isEmpty(), "quick mode lists numbers without checking them");
            System.setProperty(Mode.PROPERTY, "false");
            assertFalse(Mode.quick());
            Checks full = new Checks("demo").near("loss", 0.7863, 0.786302, 0.01).near("nan", Double.NaN, 1, 0.1)
                    .near("far", 0.5, 0.7, 0.01);
            assertEquals(2, full.failures().size(), "NaN is never near anything, 0.5 is not near 0.7");
            assertTrue(full.failures().get(0).startsWith("nan"), full.failures().toString());
            assertTrue(full.failures().get(1).startsWith("far"), full.failures().toString());
        } finally {
            if (old == null) {
                System.clearProperty(Mode.PROPERTY);
            } else {
                System.setProperty(Mode.PROPERTY, old);
            }
        }
    }

    /** Both modes in one run, whatever NNLAB_QUICK says (not a branch on the environment: both are asserted). */
    @Test
    void atLeastIsABoundCheckedOnlyInFullMode() {
        String old = System.getProperty(Mode.PROPERTY);
        try {
            for (boolean quickMode : new boolean[] {true, false}) {
                System.setProperty(Mode.PROPERTY, Boolean.toString(quickMode));
                assertEquals(quickMode, Mode.quick());
                Checks checks = new Checks("demo").atLeast("accuracy", 97.5, 97).atLeast("low", 79.9, 80)
                        .atLeast("nan", Double.NaN, 0);
                assertEquals(3, checks.table().rowCount());
                if (quickMode) {
                    assertTrue(checks.failures().isEmpty(), "quick mode lists bounds without checking them");
                } else {
                    assertEquals(2, checks.failures().size(), checks.failures().toString());
                    assertTrue(checks.failures().get(0).startsWith("low")
                            && checks.failures().get(0).contains("≥ 80"), checks.failures().toString());
                    assertTrue(checks.failures().get(1).startsWith("nan"), checks.failures().toString());
                }
            }
        } finally {
            if (old == null) {
                System.clearProperty(Mode.PROPERTY);
            } else {
                System.setProperty(Mode.PROPERTY, old);
            }
        }
    }
}
