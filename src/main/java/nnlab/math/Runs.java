package nnlab.math;

/** Loops over runs of adjacent array elements, on the Vector API when the JVM has it (same sums either way). */
public final class Runs {
    private Runs() {
    }

    /** dst[d + j] += src[s + j] for j &lt; n: one addition per element, in place. */
    public static void addTo(double[] src, int s, double[] dst, int d, int n) {
        if (VectorSupport.AVAILABLE) {
            VectorKernels.addTo(src, s, dst, d, n);
            return;
        }
        for (int j = 0; j < n; j++) {
            dst[d + j] += src[s + j];
        }
    }
}
