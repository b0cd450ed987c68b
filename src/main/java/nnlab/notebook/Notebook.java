package nnlab.notebook;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.Base64;
import javax.imageio.ImageIO;
import tech.tablesaw.api.Table;

/**
 * Shows HTML, tables and several pictures from one notebook cell on whichever Java kernel runs the notebook
 * (Rapaio, IJava or JJava), found by reflection through the thread's context class loader, so cells never name a
 * kernel class. Outside a notebook it prints plain text. A picture that is a cell's last expression needs none of
 * this: every kernel renders a {@code BufferedImage} result inline by itself.
 */
public final class Notebook {
    private Notebook() {
    }

    /** Shows an HTML fragment (or prints it, outside a notebook). */
    public static void html(String html) {
        if (!displayHtml(html)) {
            System.out.println(html.replaceAll("<[^>]+>", " ").replaceAll("[ ]{2,}", " ").trim());
        }
    }

    /** Shows a Tablesaw table as an HTML table (or prints it as text). */
    public static void table(Table table) {
        if (!displayHtml(tableHtml(table))) {
            System.out.println(table.printAll());
        }
    }

    /** Shows pictures one after the other, e.g. several plots from one cell. */
    public static void images(RenderedImage... images) {
        StringBuilder sb = new StringBuilder("<div>");
        for (RenderedImage image : images) {
            sb.append("<img style=\"display:inline-block;margin:2px\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png(image))).append("\"/>");
        }
        sb.append("</div>");
        if (!displayHtml(sb.toString())) {
            System.out.println("[" + images.length + " image(s); run in a notebook to see them]");
        }
    }

    /** PNG bytes of an image. */
    public static byte[] png(RenderedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTML table with a caption, numbers printed compactly (see {@link #cell}). */
    public static String tableHtml(Table table) {
        StringBuilder sb = new StringBuilder("<table><caption style=\"caption-side:top;font-weight:bold\">")
                .append(escape(table.name())).append("</caption><thead><tr>");
        for (String name : table.columnNames()) {
            sb.append("<th>").append(escape(name)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (int r = 0; r < table.rowCount(); r++) {
            sb.append("<tr>");
            for (int c = 0; c < table.columnCount(); c++) {
                sb.append("<td>").append(escape(cell(table.column(c), r))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    /** A cell as text: doubles with six significant digits (0.793152, 23.1485, 8.43379e-08), the rest as is. */
    static String cell(tech.tablesaw.columns.Column<?> column, int row) {
        if (column instanceof tech.tablesaw.api.DoubleColumn doubles) {
            return doubles.isMissing(row) ? "" : compact(doubles.getDouble(row));
        }
        return column.getString(row);
    }

    /** A number with at most six significant digits and no trailing zeros: 98, 0.25, 0.793152, 8.43379e-08. */
    public static String compact(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String s = String.format(java.util.Locale.ROOT, "%.6g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** True if the active kernel accepted the HTML. */
    static boolean displayHtml(String html) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        try { // Rapaio: Global.display(String mime, Object)
            Class<?> global = Class.forName("org.rapaio.jupyter.kernel.global.Global", false, cl);
            Method m = global.getMethod("display", String.class, Object.class);
            m.invoke(null, "text/html", html);
            return true;
        } catch (ReflectiveOperationException | LinkageError ignored) {
            // not Rapaio
        }
        for (String[] k : new String[][] {
            {"io.github.spencerpark.ijava.runtime.Kernel", "getKernelInstance",
                "io.github.spencerpark.jupyter.kernel.display.DisplayData"},
            {"org.dflib.jjava.jupyter.kernel.BaseKernel", "notebookKernel",
                "org.dflib.jjava.jupyter.kernel.display.DisplayData"}}) {
            // IJava / JJava: hand the kernel a DisplayData holding the HTML. Their display(Object) helpers would run
            // it through the renderer, which shows a DisplayData as its toString in text/plain.
            try {
                Object kernel = Class.forName(k[0], false, cl).getMethod(k[1]).invoke(null);
                if (kernel == null) {
                    continue; // the kernel classes are there, but no kernel is running (a plain JShell, a test)
                }
                Class<?> dataClass = Class.forName(k[2], false, cl);
                Object data = dataClass.getConstructor().newInstance();
                dataClass.getMethod("putHTML", String.class).invoke(data, html);
                kernel.getClass().getMethod("display", dataClass).invoke(kernel, data);
                return true;
            } catch (ReflectiveOperationException | LinkageError ignored) {
                // not this kernel
            }
        }
        return false;
    }
}
