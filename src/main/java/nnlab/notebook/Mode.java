package nnlab.notebook;

/**
 * Quick mode: when the environment variable {@code NNLAB_QUICK} is {@code 1} or {@code true} (as in CI and the
 * project's tests), notebooks shrink epochs and data; otherwise (the default for users) they run in full and
 * reproduce the exercises' numbers. The system property {@code nnlab.quick} ({@code true}/{@code false}), when set,
 * takes precedence over the variable (tests use it to run both modes in one JVM).
 */
public final class Mode {
    /** The environment variable that switches quick mode on. */
    public static final String VARIABLE = "NNLAB_QUICK";

    private Mode() {
    }

    /** The system property that, when set, overrides {@link #VARIABLE}. */
    public static final String PROPERTY = "nnlab.quick";

    /** True in quick mode. */
    public static boolean quick() {
        String p = System.getProperty(PROPERTY);
        String v = p != null ? p : System.getenv(VARIABLE);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    /** {@code full} normally, {@code quick} in quick mode: {@code int iterations = Mode.pick(10_000, 500);}. */
    public static int pick(int full, int quick) {
        return quick() ? quick : full;
    }

    /** A line saying which mode this is, for the top of a notebook. */
    public static String describe() {
        return quick() ? "quick mode (" + VARIABLE + " is set): shortened runs, numbers will differ from the exercise"
                : "full mode: the runs reproduce the exercise's numbers";
    }
}
