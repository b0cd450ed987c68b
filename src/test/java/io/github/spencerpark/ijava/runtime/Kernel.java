package io.github.spencerpark.ijava.runtime;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.ArrayList;
import java.util.List;

/**
 * Test stand-in for IJava 1.3.0's {@code Kernel} entry point (same class name and static method), returning a kernel
 * that records what it is asked to display. The DisplayData is the real one of jupyter-jvm-basekernel 2.3.0.
 */
public final class Kernel {
    public static final class Recording {
        public final List<DisplayData> shown = new ArrayList<>();

        public void display(DisplayData data) {
            shown.add(data);
        }
    }

    public static Recording running;

    private Kernel() {
    }

    public static Recording getKernelInstance() {
        return running;
    }
}
