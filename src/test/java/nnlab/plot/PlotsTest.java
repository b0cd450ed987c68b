package nnlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nnlab.data.Dataset;
import nnlab.data.Datasets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    private static final Dataset SPIRAL = Datasets.spiral(20, 3, 0.2, new NumpyRandom(0));

    @Test
    void chartsBecomeVectorSvgWithTheirText() {
        BufferedImage scatter = Plots.scatter("Spiral points", SPIRAL.X(), SPIRAL.y());
        String svg = Plots.svg(scatter);
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
        // XChart draws its text as glyph outlines, so everything on a chart is a path.
        assertTrue(shapes(svg) > 100, "expected vector shapes for 60 points, axes and glyphs, got " + shapes(svg));
        assertFalse(svg.contains("<image"), "a plain chart needs no embedded bitmap");
    }

    @Test
    void regionPlotsEmbedTheRegionsAndKeepAxesAsVectors(@TempDir Path dir) throws Exception {
        BufferedImage regions = Plots.decisionRegions("Nearest centre", SPIRAL.X(), SPIRAL.y(),
                g -> g.col(0).argmaxRows());
        BufferedImage both = Plots.titled("Two pictures", Plots.beside(
                Plots.lines("A line", "x", "y", new double[] {0, 1, 2}, Map.of("y = x", new double[] {0, 1, 2})),
                regions));
        Path file = dir.resolve("sub/both.svg");
        Plots.saveSvg(both, file.toString());
        String svg = Files.readString(file);
        assertTrue(svg.contains("<image"), "the regions are an embedded bitmap");
        assertTrue(svg.contains("Two pictures"), "the grid's title is SVG text");
        assertTrue(shapes(svg) > 120, "both charts' axes, lines and points are vector shapes, got " + shapes(svg));
        assertEquals(both.getWidth(), 2 * regions.getWidth());
    }

    @Test
    void mosaicReadsRowMajorAndColumnMajorTiles() {
        // An "L" (left column and bottom row lit) in a 5x4 tile, stored both ways.
        Matrix rowMajor = new Matrix(1, 20);
        Matrix columnMajor = new Matrix(1, 20);
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 4; c++) {
                double v = c == 0 || r == 4 ? 1 : 0;
                rowMajor.set(0, r * 4 + c, v);
                columnMajor.set(0, c * 5 + r, v);
            }
        }
        int scale = 10;
        for (BufferedImage img : new BufferedImage[] {Plots.mosaic(rowMajor, 5, 4, 1, false, scale),
                Plots.mosaic(columnMajor, 5, 4, 1, true, scale)}) {
            int pad = 1;
            assertEquals(255, img.getRGB(pad + 5, pad + 5) & 255, "top-left cell is lit");
            assertEquals(0, img.getRGB(pad + 3 * scale + 5, pad + 5) & 255, "top-right cell is dark");
            assertEquals(255, img.getRGB(pad + 3 * scale + 5, pad + 4 * scale + 5) & 255, "bottom-right cell is lit");
        }
    }

    @Test
    void legendsGoWhereTheCurvesAreNot() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        double[] rising = {0, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 1, 1};
        double[] falling = {1, 1, 0.9, 0.7, 0.5, 0.3, 0.2, 0.1, 0};
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.InsideNW,
                Plots.emptiestCorner(x, java.util.List.of(rising)));
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.InsideNE,
                Plots.emptiestCorner(x, java.util.List.of(falling)));
    }

    private static long shapes(String svg) {
        return java.util.regex.Pattern.compile("<(path|ellipse|line|polyline)\\b").matcher(svg).results().count();
    }

    @Test
    void binaryRegionsDrawTheBoundary() {
        Matrix X = Matrix.of(new double[] {-1, 0}, new double[] {1, 0});
        BufferedImage img = Plots.binaryRegions("x1 > 0", X, new int[] {0, 1}, g -> g.col(0), 0,
                new double[] {-1, 1, -1, 1});
        // Along the middle row, the pixels must change from the class-0 shade to the class-1 shade through a dark line.
        int y = img.getHeight() / 2 - 40;
        int darkest = 255;
        for (int x = 0; x < img.getWidth(); x++) {
            int rgb = img.getRGB(x, y);
            int grey = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3;
            darkest = Math.min(darkest, grey);
        }
        assertTrue(darkest < 80, "no boundary line found (darkest grey " + darkest + ")");
    }
}
