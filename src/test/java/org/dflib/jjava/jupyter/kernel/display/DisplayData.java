package org.dflib.jjava.jupyter.kernel.display;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test stand-in with the part of JJava's DisplayData API that nnlab uses (no JJava release is reachable here). */
public class DisplayData {
    public final Map<String, Object> data = new LinkedHashMap<>();

    public void putHTML(String html) {
        data.put("text/html", html);
    }
}
