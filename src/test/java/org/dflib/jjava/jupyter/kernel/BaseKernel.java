package org.dflib.jjava.jupyter.kernel;

import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** Test stand-in for JJava's {@code BaseKernel.notebookKernel()} entry point; records what it displays. */
public class BaseKernel {
    public static BaseKernel running;

    public final List<DisplayData> shown = new ArrayList<>();

    public static BaseKernel notebookKernel() {
        return running;
    }

    public void display(DisplayData data) {
        shown.add(data);
    }
}
