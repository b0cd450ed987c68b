package nnlab.plot;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.util.ArrayList;
import java.util.function.Consumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import javax.imageio.ImageIO;
import nnlab.math.Matrix;
import nnlab.train.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Plots for notebooks, drawn with XChart and returned as {@link BufferedImage}s: a picture that is a cell's last
 * expression appears inline in every Java kernel. Class colours are the same everywhere (points, regions, legends):
 * class k is {@link #classColor(int)}.
 */
public final class Plots {
    /** Default picture size, readable at notebook width. */
    public static final int WIDTH = 560;
    public static final int HEIGHT = 440;
    private static final Color[] CLASS_COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0xe6a700), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0x17becf), new Color(0xbcbd22)};
    private static final Color PROBE = new Color(255, 0, 255);

    private Plots() {
    }

    /** The colour of class k (cycling after ten classes). */
    public static Color classColor(int k) {
        return CLASS_COLORS[Math.floorMod(k, CLASS_COLORS.length)];
    }

    private static Color lighter(Color c, double amount) {
        return new Color((int) (c.getRed() + (255 - c.getRed()) * amount),
                (int) (c.getGreen() + (255 - c.getGreen()) * amount), (int) (c.getBlue() + (255 - c.getBlue()) * amount));
    }

    private static XYChart chart(String title, String xLabel, String yLabel) {
        return chart(title, xLabel, yLabel, WIDTH, HEIGHT);
    }

    private static XYChart chart(String title, String xLabel, String yLabel, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        org.knowm.xchart.style.XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        s.setAntiAlias(true);
        s.setPlotGridLinesColor(new Color(220, 220, 220));
        s.setXAxisTickMarkSpacingHint(90);
        if (width < 450) { // a panel of a small multiple: no room for a legend beside the plot, closer ticks
            s.setLegendVisible(false);
            s.setXAxisTickMarkSpacingHint(50);
        }
        return c;
    }

    /** Points of a 2-D data set coloured by class. */
    public static BufferedImage scatter(String title, Matrix X, int[] y) {
        XYChart c = chart(title, "x1", "x2");
        addClassSeries(c, X, y);
        c.getStyler().setMarkerSize(7);
        return render(c);
    }

    private static void addClassSeries(XYChart c, Matrix X, int[] y) {
        requireTwoColumns("plot", X);
        if (X.rows() != y.length) {
            throw new IllegalArgumentException("plot: " + X.rows() + " points but " + y.length + " labels");
        }
        int k = 0;
        for (int v : y) {
            k = Math.max(k, v + 1);
        }
        for (int cls = 0; cls < k; cls++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == cls) {
                    xs.add(X.get(i, 0));
                    ys.add(X.get(i, 1));
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = c.addSeries("class " + cls, xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(classColor(cls));
        }
    }

    private static void requireTwoColumns(String op, Matrix X) {
        if (X.cols() != 2) {
            throw new IllegalArgumentException(op + ": expected 2-D points (n x 2), got " + X.shapeString());
        }
    }

    /** Data bounds padded by a margin: {xmin, xmax, ymin, ymax}. */
    public static double[] bounds(Matrix X, double margin) {
        requireTwoColumns("bounds", X);
        Matrix x0 = X.col(0);
        Matrix x1 = X.col(1);
        return new double[] {x0.min() - margin, x0.max() + margin, x1.min() - margin, x1.max() + margin};
    }

    /**
     * Decision regions of a multi-class classifier over the data's range (padded by 0.5), with the data on top:
     * {@code predict} maps a matrix of grid points (one per row) to a class per row.
     */
    public static BufferedImage decisionRegions(String title, Matrix X, int[] y, Function<Matrix, int[]> predict) {
        return decisionRegions(title, X, y, predict, bounds(X, 0.5));
    }

    /** Decision regions over the box {xmin, xmax, ymin, ymax}. */
    public static BufferedImage decisionRegions(String title, Matrix X, int[] y, Function<Matrix, int[]> predict,
                                                double[] box) {
        return regions(title, X, y, box, (grid, n, columns) -> {
            int[] cls = predict.apply(grid);
            Color[] out = new Color[n];
            for (int i = 0; i < n; i++) {
                out[i] = lighter(classColor(cls[i]), 0.6);
            }
            return out;
        });
    }

    /**
     * Regions of a binary score (a logit, a ±1 output or a probability) with the data on top: class 1 where the
     * score exceeds {@code threshold} (0 for logits and signs, 0.5 for probabilities), shaded deeper the further the
     * score is from the threshold.
     */
    public static BufferedImage binaryRegions(String title, Matrix X, int[] y, Function<Matrix, Matrix> score,
                                              double threshold, double[] box) {
        return binaryRegions(title, X, y, score, threshold, box, WIDTH, HEIGHT);
    }

    /**
     * The same picture at another size, e.g. 360x300 panels for a {@link #grid} of snapshots during training. The
     * decision boundary (score = threshold) is drawn as a dark line.
     */
    public static BufferedImage binaryRegions(String title, Matrix X, int[] y, Function<Matrix, Matrix> score,
                                              double threshold, double[] box, int width, int height) {
        return regions(title, X, y, box, width, height, (grid, n, columns) -> {
            Matrix s = score.apply(grid);
            if (s.size() != n) {
                throw new IllegalArgumentException("binaryRegions: the score function returned " + s.shapeString()
                        + " for " + n + " grid points; expected one score per point");
            }
            double spread = 1e-12;
            for (int i = 0; i < n; i++) {
                spread = Math.max(spread, Math.abs(s.get(i) - threshold));
            }
            Color[] out = new Color[n];
            for (int i = 0; i < n; i++) {
                double v = s.get(i) - threshold;
                double strength = Math.min(1, Math.abs(v) / spread);
                out[i] = lighter(classColor(v > 0 ? 1 : 0), 0.85 - 0.45 * Math.sqrt(strength));
            }
            // The boundary: cells whose right or lower neighbour lies on the other side of the threshold.
            Color line = new Color(40, 40, 40);
            for (int i = 0; i < n; i++) {
                boolean positive = s.get(i) > threshold;
                boolean rightDiffers = (i + 1) % columns != 0 && (s.get(i + 1) > threshold) != positive;
                boolean belowDiffers = i + columns < n && (s.get(i + columns) > threshold) != positive;
                if (rightDiffers || belowDiffers) {
                    out[i] = line;
                }
            }
            return out;
        });
    }

    private interface RegionColors {
        /** One colour per grid point; the points run row by row, {@code columns} per row. */
        Color[] colors(Matrix grid, int n, int columns);
    }

    private static BufferedImage regions(String title, Matrix X, int[] y, double[] box, RegionColors colors) {
        return regions(title, X, y, box, WIDTH, HEIGHT, colors);
    }

    private static BufferedImage regions(String title, Matrix X, int[] y, double[] box, int width, int height,
                                         RegionColors colors) {
        XYChart c = chart(title, "x1", "x2", width, height);
        c.getStyler().setMarkerSize(7);
        c.getStyler().setXAxisMin(box[0]).setXAxisMax(box[1]).setYAxisMin(box[2]).setYAxisMax(box[3]);
        c.getStyler().setPlotGridLinesVisible(false);
        if (X.rows() == 0) { // no data to show: an invisible series at the box corners gives the chart its axes
            XYSeries corners = c.addSeries(" ", new double[] {box[0], box[1]}, new double[] {box[2], box[3]});
            corners.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            corners.setMarker(SeriesMarkers.NONE);
            corners.setShowInLegend(false);
        } else {
            addClassSeries(c, X, y);
        }
        // Find the plot area by rendering it once in a probe colour, then paint the regions there and the chart on top.
        c.getStyler().setPlotBackgroundColor(PROBE);
        BufferedImage probe = BitmapEncoder.getBufferedImage(c);
        int[] area = probeArea(probe);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int w = area[2] - area[0] + 1;
        int h = area[3] - area[1] + 1;
        int cell = 2; // pixels per grid cell
        int gw = (w + cell - 1) / cell;
        int gh = (h + cell - 1) / cell;
        // Grid cell centres, top row first (image rows run downwards while y runs upwards).
        double dx = (double) cell / w * (box[1] - box[0]);
        double dy = (double) cell / h * (box[3] - box[2]);
        Matrix grid = Matrix.meshgrid(box[0] + 0.5 * dx, box[0] + (gw - 0.5) * dx, gw,
                box[3] - 0.5 * dy, box[3] - (gh - 0.5) * dy, gh);
        Color[] col = colors.colors(grid, gw * gh, gw);
        for (int r = 0; r < gh; r++) {
            for (int q = 0; q < gw; q++) {
                g.setColor(col[r * gw + q]);
                g.fillRect(area[0] + q * cell, area[1] + r * cell, Math.min(cell, w - q * cell), Math.min(cell, h - r * cell));
            }
        }
        Color clear = new Color(0, 0, 0, 0);
        c.getStyler().setPlotBackgroundColor(clear);
        c.getStyler().setChartBackgroundColor(clear);
        BufferedImage background = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        background.createGraphics().drawImage(img, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setComposite(AlphaComposite.SrcOver);
        c.paint(g, width, height); // axes, legend and points over the regions
        g.dispose();
        // In SVG the regions are an embedded bitmap and axes, text and points stay vectors.
        return withVector(img, v -> {
            v.drawImage(background, 0, 0, null);
            c.paint(v, width, height);
        });
    }

    private static int[] probeArea(BufferedImage img) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        int probe = PROBE.getRGB();
        for (int yy = 0; yy < img.getHeight(); yy++) {
            for (int xx = 0; xx < img.getWidth(); xx++) {
                if (img.getRGB(xx, yy) == probe) {
                    x0 = Math.min(x0, xx);
                    y0 = Math.min(y0, yy);
                    x1 = Math.max(x1, xx);
                    y1 = Math.max(y1, yy);
                }
            }
        }
        if (x1 < 0) {
            throw new IllegalStateException("could not locate the plot area of the chart");
        }
        return new int[] {x0, y0, x1, y1};
    }

    /** Several named curves over a common x axis. */
    public static BufferedImage lines(String title, String xLabel, String yLabel, double[] x,
                                      Map<String, double[]> curves) {
        return lines(title, xLabel, yLabel, x, curves, emptiestCorner(x, curves.values()));
    }

    /**
     * The corner of the plot where the curves leave the most room for a legend: the one with the fewest points in
     * its outer third of x and of y (top right on ties).
     */
    static Styler.LegendPosition emptiestCorner(double[] x, java.util.Collection<double[]> curves) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] c : curves) {
            for (double v : c) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (x.length == 0 || !(hi > lo)) {
            return Styler.LegendPosition.InsideNE;
        }
        double xLo = x[0];
        double xHi = x[x.length - 1];
        Styler.LegendPosition[] corners = {Styler.LegendPosition.InsideNE, Styler.LegendPosition.InsideNW,
            Styler.LegendPosition.InsideSE, Styler.LegendPosition.InsideSW};
        int[] count = new int[4];
        for (double[] c : curves) {
            for (int i = 0; i < Math.min(c.length, x.length); i++) {
                double fx = (x[i] - xLo) / (xHi - xLo);
                double fy = (c[i] - lo) / (hi - lo);
                boolean right = fx > 2 / 3.0;
                boolean left = fx < 1 / 3.0;
                boolean top = fy > 2 / 3.0;
                boolean bottom = fy < 1 / 3.0;
                if (top && right) {
                    count[0]++;
                } else if (top && left) {
                    count[1]++;
                } else if (bottom && right) {
                    count[2]++;
                } else if (bottom && left) {
                    count[3]++;
                }
            }
        }
        int best = 0;
        for (int k = 1; k < 4; k++) {
            if (count[k] < count[best]) {
                best = k;
            }
        }
        return corners[best];
    }

    private static BufferedImage lines(String title, String xLabel, String yLabel, double[] x,
                                       Map<String, double[]> curves, Styler.LegendPosition legend) {
        XYChart c = chart(title, xLabel, yLabel);
        c.getStyler().setLegendPosition(legend);
        if (isWholeNumbers(x)) {
            c.getStyler().setXAxisDecimalPattern("#");
        }
        addCurves(c, "lines", x, curves, 2f);
        return render(c);
    }

    /** Named curves over x as lines in the class colours, in order; every curve needs one value per x. */
    private static void addCurves(XYChart c, String plot, double[] x, Map<String, double[]> curves, float width) {
        int k = 0;
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            if (e.getValue().length != x.length) {
                throw new IllegalArgumentException(plot + ": curve '" + e.getKey() + "' has " + e.getValue().length
                        + " values for " + x.length + " x positions");
            }
            XYSeries s = c.addSeries(e.getKey(), roundNumberTicks(x), e.getValue());
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(classColor(k++));
            s.setLineStyle(new BasicStroke(width));
        }
    }

    /**
     * XChart puts the ticks of an axis whose values are equally spaced on the values themselves, which gives
     * unreadable labels for long curves (0, 715, 1430, ... for 10,000 iterations; -1.93483709... for a linspace).
     * Moving the second x value by 1% of one step, invisible at any useful number of points, makes it choose
     * round-number ticks instead. Short series keep their one-tick-per-value axis.
     */
    private static double[] roundNumberTicks(double[] x) {
        if (x.length <= 25) {
            return x;
        }
        double[] out = x.clone();
        out[1] += 0.01 * (x[1] - x[0]);
        return out;
    }

    /** Data points (x, y) as dots with named curves over curveX on top, e.g. noisy samples and fitted functions. */
    public static BufferedImage pointsAndCurves(String title, String xLabel, String yLabel, Matrix x, Matrix y,
                                                double[] curveX, Map<String, double[]> curves) {
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("pointsAndCurves: " + x.size() + " x values but " + y.size()
                    + " y values");
        }
        XYChart c = chart(title, xLabel, yLabel);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        XYSeries data = c.addSeries("data", x.data(), y.data());
        data.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        data.setMarker(SeriesMarkers.CIRCLE);
        data.setMarkerColor(new Color(120, 120, 120));
        c.getStyler().setMarkerSize(6);
        addCurves(c, "pointsAndCurves", curveX, curves, 2.5f);
        return render(c);
    }

    private static boolean isWholeNumbers(double[] x) {
        for (double v : x) {
            if (v != Math.rint(v)) {
                return false;
            }
        }
        return true;
    }

    /** Functions of one variable on [from, to], e.g. activations and their derivatives. */
    public static BufferedImage functions(String title, double from, double to, Map<String, DoubleUnaryOperator> fs) {
        int n = 400;
        double[] x = Matrix.linspace(from, to, n).data();
        Map<String, double[]> curves = new LinkedHashMap<>();
        fs.forEach((name, f) -> {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = f.applyAsDouble(x[i]);
            }
            curves.put(name, v);
        });
        return lines(title, "x", "f(x)", x, curves);
    }

    /** Loss (left) and accuracy (right) against the iteration or epoch, train and (if measured) test. */
    public static BufferedImage history(String title, History h) {
        double[] steps = java.util.Arrays.stream(h.steps()).asDoubleStream().toArray();
        Map<String, double[]> losses = new java.util.LinkedHashMap<>();
        losses.put("training loss", h.losses());
        double[] testLoss = h.testLosses();
        if (h.hasTestLoss() && java.util.Arrays.stream(testLoss).noneMatch(Double::isNaN)) { // every epoch
            losses.put("test loss", testLoss);
        }
        BufferedImage loss = lines(title + ": loss", h.stepName(), "loss", steps, losses);
        XYChart c = chart(title + ": accuracy", h.stepName(), "accuracy");
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE); // accuracy rises to the top right
        if (isWholeNumbers(steps)) {
            c.getStyler().setXAxisDecimalPattern("#");
        }
        addCurves(c, "history", steps, Map.of("train accuracy", h.trainAccuracies()), 2f);
        if (h.hasTestAccuracy()) { // measured at some steps only: plot those
            List<Double> xs = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            double[] t = h.testAccuracies();
            for (int i = 0; i < t.length; i++) {
                if (!Double.isNaN(t[i])) {
                    xs.add(steps[i]);
                    vs.add(t[i]);
                }
            }
            XYSeries test = c.addSeries("test accuracy", xs, vs);
            test.setMarker(xs.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            test.setLineColor(classColor(1));
            test.setMarkerColor(classColor(1));
            test.setLineStyle(new BasicStroke(2f));
        }
        return beside(loss, render(c));
    }

    /** Pictures side by side in one image. */
    public static BufferedImage beside(BufferedImage... images) {
        return grid(images.length, images);
    }

    /** Pictures in a grid with the given number of columns, row by row. */
    public static BufferedImage grid(int columns, BufferedImage... images) {
        if (images.length == 0) {
            throw new IllegalArgumentException("grid: no images");
        }
        int cw = 0;
        int ch = 0;
        for (BufferedImage im : images) {
            cw = Math.max(cw, im.getWidth());
            ch = Math.max(ch, im.getHeight());
        }
        int rows = (images.length + columns - 1) / columns;
        BufferedImage out = new BufferedImage(cw * Math.min(columns, images.length), ch * rows,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < images.length; i++) {
            g.drawImage(images[i], (i % columns) * cw, (i / columns) * ch, null);
        }
        g.dispose();
        int cellWidth = cw;
        int cellHeight = ch;
        BufferedImage[] parts = images.clone();
        return withVector(out, v -> {
            v.setColor(Color.WHITE);
            v.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < parts.length; i++) {
                Graphics2D part = (Graphics2D) v.create();
                part.translate((i % columns) * cellWidth, (i / columns) * cellHeight);
                paintVector(part, parts[i]);
                part.dispose();
            }
        });
    }

    /**
     * Each row of {@code rows} drawn as a height x width grey-scale tile (e.g. digits, or learned weights), tiles
     * laid out {@code columns} to a line. {@code columnMajor} reads each row's values column by column (as
     * MATLAB/Octave data stores 20x20 digits). Each tile is scaled to its own min..max; {@code scale} enlarges pixels.
     */
    public static BufferedImage mosaic(Matrix rows, int height, int width, int columns, boolean columnMajor, int scale) {
        return mosaic(rows, height, width, columns, columnMajor, scale, null);
    }

    /**
     * {@link #mosaic(Matrix, int, int, int, boolean, int)} (row-major tiles) with a caption under each tile, e.g. the
     * label of each digit, or "7 → 2" for a true and a predicted label. {@code captions} has one entry per row.
     */
    public static BufferedImage mosaic(Matrix rows, int height, int width, int columns, int scale,
                                       List<String> captions) {
        if (captions.size() != rows.rows()) {
            throw new IllegalArgumentException("mosaic: " + rows.rows() + " tiles but " + captions.size()
                    + " captions; give one caption per row");
        }
        return mosaic(rows, height, width, columns, false, scale, captions);
    }

    private static BufferedImage mosaic(Matrix rows, int height, int width, int columns, boolean columnMajor,
                                        int scale, List<String> captions) {
        if (rows.cols() != height * width) {
            throw new IllegalArgumentException("mosaic: rows have " + rows.cols() + " values but a " + height + "x"
                    + width + " tile needs " + height * width);
        }
        int n = rows.rows();
        int lines = (n + columns - 1) / columns;
        int pad = 1;
        int captionHeight = captions == null ? 0 : 16;
        int cellWidth = width * scale + pad;
        int cellHeight = height * scale + captionHeight + pad;
        BufferedImage out = new BufferedImage(columns * cellWidth + pad, lines * cellHeight + pad,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int t = 0; t < n; t++) {
            Matrix tile = rows.row(t);
            double lo = tile.min();
            double hi = tile.max();
            double range = hi > lo ? hi - lo : 1;
            int ox = pad + (t % columns) * cellWidth;
            int oy = pad + (t / columns) * cellHeight;
            for (int r = 0; r < height; r++) {
                for (int q = 0; q < width; q++) {
                    double v = columnMajor ? tile.get(q * height + r) : tile.get(r * width + q);
                    int grey = (int) Math.round(255 * (v - lo) / range);
                    g.setColor(new Color(grey, grey, grey));
                    g.fillRect(ox + q * scale, oy + r * scale, scale, scale);
                }
            }
            if (captions != null) {
                String text = captions.get(t);
                g.setColor(Color.WHITE);
                int tw = g.getFontMetrics().stringWidth(text);
                g.drawString(text, ox + Math.max(0, (width * scale - tw) / 2), oy + height * scale + 12);
            }
        }
        g.dispose();
        return out;
    }

    /**
     * A grid of response maps over the box {xmin, xmax, ymin, ymax}: map k shows column k of {@code responses(grid)}
     * (e.g. hidden unit k's output) in grey, black for the lowest value and white for the highest. Outputs that all
     * lie in [0, 1] (sigmoids, probabilities) share that scale, so maps can be compared; other outputs are scaled
     * per map, with the range in the map's title.
     */
    public static BufferedImage responseMaps(String title, Function<Matrix, Matrix> responses, double[] box, int columns) {
        Matrix sample = responses.apply(Matrix.meshgrid(box[0], box[1], box[2], box[3], 60));
        int units = sample.cols();
        boolean unitInterval = sample.min() >= 0 && sample.max() <= 1;
        List<BufferedImage> maps = new ArrayList<>();
        for (int k = 0; k < units; k++) {
            int unit = k;
            double lo = unitInterval ? 0 : sample.col(k).min();
            double hi = unitInterval ? 1 : sample.col(k).max();
            String name = unitInterval ? "unit " + (k + 1)
                    : String.format(java.util.Locale.ROOT, "unit %d, range [%.2g, %.2g]", k + 1, lo, hi);
            maps.add(regions(name, new Matrix(0, 2), new int[0], box, 300, 270, (grid, n, cols) -> {
                Matrix r = responses.apply(grid);
                Color[] out = new Color[n];
                for (int i = 0; i < n; i++) {
                    double v = hi > lo ? (r.get(i, unit) - lo) / (hi - lo) : 0.5;
                    int grey = (int) Math.round(255 * Math.max(0, Math.min(1, v)));
                    out[i] = new Color(grey, grey, grey);
                }
                return out;
            }));
        }
        String scale = unitInterval ? " (black 0, white 1)" : "";
        return titled(title + scale, grid(columns, maps.toArray(new BufferedImage[0])));
    }

    /** The image with a title line above it. */
    public static BufferedImage titled(String title, BufferedImage image) {
        int strip = 30;
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight() + strip, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        drawTitle(g, title, out.getWidth());
        g.drawImage(image, 0, strip, null);
        g.dispose();
        return withVector(out, v -> {
            v.setColor(Color.WHITE);
            v.fillRect(0, 0, out.getWidth(), out.getHeight());
            drawTitle(v, title, out.getWidth());
            Graphics2D below = (Graphics2D) v.create();
            below.translate(0, strip);
            paintVector(below, image);
            below.dispose();
        });
    }

    private static void drawTitle(Graphics2D g, String title, int width) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        int w = g.getFontMetrics().stringWidth(title);
        g.drawString(title, Math.max(4, (width - w) / 2), 21);
    }

    /**
     * A picture that knows how to draw itself again as vectors (the chart for XChart plots, the parts for grids and
     * titled pictures): the painter is a field of the picture, so it is freed with it. (A weak map from picture to
     * painter cannot do that: its painters refer to their pictures, which keeps every key reachable.)
     */
    private static final class VectorImage extends BufferedImage {
        private final Consumer<Graphics2D> painter;

        /** The same pixels as image (its raster is shared, not copied), with a painter. */
        VectorImage(BufferedImage image, Consumer<Graphics2D> painter) {
            super(image.getColorModel(), image.getRaster(), image.isAlphaPremultiplied(), null);
            this.painter = painter;
        }
    }

    private static BufferedImage withVector(BufferedImage image, Consumer<Graphics2D> painter) {
        return new VectorImage(image, painter);
    }

    private static BufferedImage render(XYChart c) {
        return withVector(BitmapEncoder.getBufferedImage(c), v -> c.paint(v, c.getWidth(), c.getHeight()));
    }

    private static void paintVector(Graphics2D g, BufferedImage image) {
        if (image instanceof VectorImage v) {
            v.painter.accept(g);
        } else {
            g.drawImage(image, 0, 0, null); // not made by Plots (or a bitmap by nature, like a mosaic): embed it
        }
    }

    /**
     * The picture as an SVG document: axes, text, lines and points as vectors; decision regions, response maps and
     * mosaics as embedded bitmaps. Works for every picture returned by this class, including grids of them; any
     * other image is embedded as a bitmap.
     */
    public static String svg(BufferedImage image) {
        VectorGraphics2D g = new VectorGraphics2D();
        paintVector(g, image);
        PageSize page = new PageSize(0, 0, image.getWidth(), image.getHeight());
        Document doc = new SVGProcessor().getDocument(g.getCommands(), page);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            doc.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the picture as SVG: " + e.getMessage(), e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes an SVG file (folders are created); see {@link #svg(BufferedImage)}. */
    public static void saveSvg(BufferedImage image, String path) {
        try {
            File f = new File(path);
            if (f.getAbsoluteFile().getParentFile() != null) {
                f.getAbsoluteFile().getParentFile().mkdirs();
            }
            java.nio.file.Files.writeString(f.toPath(), svg(image));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes a PNG file (folders are created). */
    public static void savePng(BufferedImage image, String path) {
        try {
            File f = new File(path);
            if (f.getAbsoluteFile().getParentFile() != null) {
                f.getAbsoluteFile().getParentFile().mkdirs();
            }
            ImageIO.write(image, "png", f);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + path + ": " + e.getMessage(), e);
        }
    }
}
