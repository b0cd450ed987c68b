package nnlab.notebook;

/**
 * Thrown by a failed self-check ({@link Check}); its message says what is wrong, with numbers. Java's {@code assert}
 * is not used for checks because it is off unless the JVM runs with {@code -ea}.
 */
public final class CheckFailure extends RuntimeException {
    private final transient CheckResult result;

    public CheckFailure(CheckResult result) {
        super("check failed: " + result.message());
        this.result = result;
    }

    public CheckResult result() {
        return result;
    }
}
