package nnlab.grade;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Test helpers: notebooks as JSON, edited the way a student (or a hostile one) would. */
final class Notebooks {
    private Notebooks() {
    }

    static JsonObject read(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    static Path write(JsonObject nb, Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, new GsonBuilder().setPrettyPrinting().create().toJson(nb), StandardCharsets.UTF_8);
        return p;
    }

    static JsonArray cells(JsonObject nb) {
        return nb.getAsJsonArray("cells");
    }

    static String source(JsonObject cell) {
        JsonElement s = cell.get("source");
        if (s.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            s.getAsJsonArray().forEach(l -> sb.append(l.getAsString()));
            return sb.toString();
        }
        return s.getAsString();
    }

    static String check(JsonObject cell) {
        JsonObject m = cell.getAsJsonObject("metadata");
        return m != null && m.has("nnlab") && m.getAsJsonObject("nnlab").has("check")
                ? m.getAsJsonObject("nnlab").get("check").getAsString() : null;
    }

    /** What a student who solved everything hands in: the source with its check cells as released. */
    static JsonObject solved(Path source) throws IOException {
        JsonObject nb = read(source);
        for (JsonElement e : cells(nb)) {
            JsonObject c = e.getAsJsonObject();
            if (check(c) != null) {
                c.addProperty("source", Lab.visibleSource(source(c)));
            }
        }
        return nb;
    }

    /** Edits the first code cell whose source contains {@code marker}. */
    static JsonObject edit(JsonObject nb, String marker, UnaryOperator<String> change) {
        JsonObject copy = nb.deepCopy();
        for (JsonElement e : cells(copy)) {
            JsonObject c = e.getAsJsonObject();
            if (source(c).contains(marker)) {
                c.addProperty("source", change.apply(source(c)));
                return copy;
            }
        }
        throw new IllegalArgumentException("no cell contains " + marker);
    }

    /** Removes the check cell named name. */
    static JsonObject without(JsonObject nb, String name) {
        JsonObject copy = nb.deepCopy();
        JsonArray kept = new JsonArray();
        cells(copy).forEach(e -> {
            if (!name.equals(check(e.getAsJsonObject()))) {
                kept.add(e);
            }
        });
        copy.add("cells", kept);
        return copy;
    }
}
