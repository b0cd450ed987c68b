package nnlab.grade;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a Jupyter notebook (nbformat 4) the grader reads: its cells (type, source, the {@code nnlab} cell
 * metadata) and its {@code nnlab} notebook metadata. Reading never trusts the file: anything malformed is an
 * {@link IOException} naming the file.
 */
public final class Ipynb {
    /** One cell; {@code number} counts from 1 over all cells, as the release tool's messages do. */
    public record Cell(int number, String type, String source, JsonObject nnlab) {
        public boolean isCode() {
            return "code".equals(type);
        }

        /** The check name of a check cell, or null. */
        public String check() {
            JsonElement c = nnlab == null ? null : nnlab.get("check");
            return c != null && c.isJsonPrimitive() ? c.getAsString() : null;
        }

        /** A number from this cell's nnlab metadata, or {@code otherwise}. */
        public double number(String key, double otherwise) {
            JsonElement v = nnlab == null ? null : nnlab.get(key);
            return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() ? v.getAsDouble() : otherwise;
        }

        /** A string from this cell's nnlab metadata, or null. */
        public String string(String key) {
            JsonElement v = nnlab == null ? null : nnlab.get(key);
            return v != null && v.isJsonPrimitive() ? v.getAsString() : null;
        }
    }

    private final Path path;
    private final List<Cell> cells;
    private final JsonObject nnlab;

    private Ipynb(Path path, List<Cell> cells, JsonObject nnlab) {
        this.path = path;
        this.cells = List.copyOf(cells);
        this.nnlab = nnlab;
    }

    public static Ipynb read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new IOException(path.getFileName() + ": the file is empty");
        }
        try {
            return parse(path, JsonParser.parseString(text));
        } catch (JsonParseException | IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw new IOException(path.getFileName() + ": not a notebook (" + e.getMessage() + ")", e);
        }
    }

    private static Ipynb parse(Path path, JsonElement root) throws IOException {
        if (!root.isJsonObject() || !root.getAsJsonObject().has("cells")) {
            throw new IOException(path.getFileName() + ": not a notebook (no \"cells\" list)");
        }
        JsonObject nb = root.getAsJsonObject();
        List<Cell> cells = new ArrayList<>();
        int number = 0;
        for (JsonElement e : nb.getAsJsonArray("cells")) {
            JsonObject c = e.getAsJsonObject();
            number++;
            String type = c.has("cell_type") ? c.get("cell_type").getAsString() : "";
            JsonObject meta = c.has("metadata") && c.get("metadata").isJsonObject() ? c.getAsJsonObject("metadata")
                    : new JsonObject();
            JsonObject nnlab = meta.has("nnlab") && meta.get("nnlab").isJsonObject() ? meta.getAsJsonObject("nnlab")
                    : null;
            cells.add(new Cell(number, type, source(c.get("source")), nnlab));
        }
        JsonObject meta = nb.has("metadata") && nb.get("metadata").isJsonObject() ? nb.getAsJsonObject("metadata")
                : new JsonObject();
        JsonObject nnlab = meta.has("nnlab") && meta.get("nnlab").isJsonObject() ? meta.getAsJsonObject("nnlab")
                : new JsonObject();
        return new Ipynb(path, cells, nnlab);
    }

    /** nbformat stores a source as a string or as a list of lines that are joined as they are. */
    private static String source(JsonElement s) {
        if (s == null || s.isJsonNull()) {
            return "";
        }
        if (s.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonElement line : (JsonArray) s) {
                sb.append(line.getAsString());
            }
            return sb.toString();
        }
        return s.getAsString();
    }

    public Path path() {
        return path;
    }

    public String name() {
        return path.getFileName().toString();
    }

    public List<Cell> cells() {
        return cells;
    }

    /** The notebook's {@code nnlab} metadata (empty when absent). */
    public JsonObject nnlab() {
        return nnlab;
    }
}
