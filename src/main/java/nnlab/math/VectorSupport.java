package nnlab.math;

/**
 * Detects whether the JDK's incubating Vector API is enabled in this JVM ({@code --add-modules
 * jdk.incubator.vector}). Classes that touch {@code jdk.incubator.vector} are only loaded when it is, so nnlab still
 * runs (on plain loops) in a JVM started without the flag.
 */
final class VectorSupport {
    static final boolean AVAILABLE = detect();

    private VectorSupport() {
    }

    private static boolean detect() {
        if (Boolean.getBoolean("nnlab.noVector")) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernels.NR > 0;
        } catch (Throwable e) { // LinkageError or an unsupported platform: fall back to plain Java
            return false;
        }
    }
}
