package nnlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import nnlab.math.Matrix;

/** Golden values written by src/test/python/numpy_golden.py. */
public final class Golden {
    private static final Map<String, String[]> VALUES = load();

    private Golden() {
    }

    private static Map<String, String[]> load() {
        Map<String, String[]> m = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                Golden.class.getResourceAsStream("/golden/numpy.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                m.put(parts[0], java.util.Arrays.copyOfRange(parts, 1, parts.length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    private static String[] raw(String key) {
        String[] v = VALUES.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no golden value '" + key + "'; rerun src/test/python/numpy_golden.py");
        }
        return v;
    }

    public static double[] doubles(String key) {
        return java.util.Arrays.stream(raw(key)).mapToDouble(Double::parseDouble).toArray();
    }

    public static long[] longs(String key) {
        return java.util.Arrays.stream(raw(key)).mapToLong(Long::parseLong).toArray();
    }

    public static int[] ints(String key) {
        return java.util.Arrays.stream(raw(key)).mapToInt(Integer::parseInt).toArray();
    }

    public static Matrix matrix(String key, int cols) {
        double[] d = doubles(key);
        return Matrix.wrap(d.length / cols, cols, d);
    }
}
