package nnlab.svm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nnlab.data.Dataset;
import nnlab.data.Folds;
import nnlab.math.Matrix;
import smile.classification.SVM;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Cross-validated grid search over (C, γ) for {@link RbfSvm}, the counterpart of scikit-learn's
 * {@code GridSearchCV(SVC(kernel='rbf'), {'C': ..., 'gamma': ...}, cv=k)}:
 *
 * <pre>{@code
 * SvmGridSearch.Result grid = SvmGridSearch.rbf(X, y).C(0.1, 1, 10).gamma(0.1, 1, 10).folds(5).run();
 * Notebook.table(grid.toTable());
 * int[] predicted = grid.best().predict(Xtest);
 * }</pre>
 *
 * <p>The folds are scikit-learn's stratified folds (no shuffling). The |C|·|γ|·k fits run on all cores; every fit
 * is seeded by its position in the grid, so the result is the same for any number of threads. The best cell is the
 * highest mean fold accuracy, the first in grid order (C outer, γ inner) on ties, and is refit on all the data.
 */
public final class SvmGridSearch {
    private final Matrix X;
    private final int[] y;
    private double[] Cs = {1};
    private double[] gammas = {1};
    private int folds = 5;
    private long seed;
    private int threads = Runtime.getRuntime().availableProcessors();

    private SvmGridSearch(Matrix X, int[] y) {
        if (X.rows() != y.length) {
            throw new IllegalArgumentException("SvmGridSearch: " + X.rows() + " rows in X but " + y.length
                    + " labels; expected one label per row");
        }
        this.X = X;
        this.y = y;
    }

    public static SvmGridSearch rbf(Matrix X, int[] y) {
        return new SvmGridSearch(X, y);
    }

    public SvmGridSearch C(double... values) {
        this.Cs = requireValues("C", values);
        return this;
    }

    public SvmGridSearch gamma(double... values) {
        this.gammas = requireValues("gamma", values);
        return this;
    }

    public SvmGridSearch folds(int k) {
        this.folds = k;
        return this;
    }

    public SvmGridSearch seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Worker threads (default: all cores). The result does not depend on it. */
    public SvmGridSearch threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        this.threads = n;
        return this;
    }

    private static double[] requireValues(String name, double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the grid needs at least one value of " + name);
        }
        return values.clone();
    }

    /** One (C, γ) cell of the grid with its accuracy on each test fold. */
    public record Cell(double C, double gamma, double[] foldAccuracies) {
        public double mean() {
            return Arrays.stream(foldAccuracies).average().orElse(Double.NaN);
        }

        /** Population standard deviation over the folds, as scikit-learn's {@code std_test_score}. */
        public double std() {
            double m = mean();
            return Math.sqrt(Arrays.stream(foldAccuracies).map(a -> (a - m) * (a - m)).average().orElse(0));
        }
    }

    /** The grid's cells (C outer, γ inner), the best cell, its model refit on all data, and the wall time. */
    public record Result(List<Cell> cells, Cell bestCell, RbfSvm best, int folds, double seconds) {
        /** C, γ, accuracy per fold, mean, std and rank (1 = best), one row per cell. */
        public Table toTable() {
            DoubleColumn c = DoubleColumn.create("C");
            DoubleColumn g = DoubleColumn.create("gamma");
            List<DoubleColumn> perFold = new ArrayList<>();
            for (int f = 0; f < folds; f++) {
                perFold.add(DoubleColumn.create("fold " + (f + 1)));
            }
            DoubleColumn mean = DoubleColumn.create("mean CV accuracy");
            DoubleColumn std = DoubleColumn.create("std");
            IntColumn rank = IntColumn.create("rank");
            for (Cell cell : cells) {
                c.append(cell.C());
                g.append(cell.gamma());
                for (int f = 0; f < folds; f++) {
                    perFold.get(f).append(cell.foldAccuracies()[f]);
                }
                mean.append(cell.mean());
                std.append(cell.std());
                int r = 1;
                for (Cell other : cells) {
                    if (other.mean() > cell.mean()) {
                        r++;
                    }
                }
                rank.append(r);
            }
            Table t = Table.create("RBF SVM: " + folds + "-fold cross-validated accuracy").addColumns(c, g);
            perFold.forEach(t::addColumns);
            return t.addColumns(mean, std, rank);
        }
    }

    /**
     * Runs the grid. On data up to {@link RbfSvm#GRAM_LIMIT} rows the RBF kernel between all rows is computed once per
     * γ and shared by every C and every fold (Smile's solver reads it from that table); each binary one-versus-one
     * machine is a task of its own, so the |C|·|γ|·k·pairs fits spread evenly over the threads. Every machine is
     * seeded by its place in the grid, so the result is the same for any number of threads, and the same as fitting
     * {@link RbfSvm} on each fold's data.
     */
    public Result run() {
        for (double C : Cs) {
            for (double gamma : gammas) {
                RbfSvm.validate(X, y, C, gamma);
            }
        }
        int[] testFold = Folds.stratified(y, folds);
        int[][] train = new int[folds][];
        int[][] test = new int[folds][];
        for (int f = 0; f < folds; f++) {
            train[f] = Folds.indices(testFold, f, false);
            test[f] = Folds.indices(testFold, f, true);
        }
        long start = System.nanoTime();
        int cellsCount = Cs.length * gammas.length;
        double[][] accuracies = X.rows() <= RbfSvm.GRAM_LIMIT ? tableAccuracies(train, test)
                : onDemandAccuracies(train, test);
        List<Cell> cells = new ArrayList<>();
        Cell bestCell = null;
        for (int cell = 0; cell < cellsCount; cell++) {
            Cell c = new Cell(Cs[cell / gammas.length], gammas[cell % gammas.length], accuracies[cell]);
            cells.add(c);
            if (bestCell == null || c.mean() > bestCell.mean()) {
                bestCell = c;
            }
        }
        RbfSvm best = RbfSvm.fit(X, y, bestCell.C(), bestCell.gamma(), seed);
        return new Result(List.copyOf(cells), bestCell, best, folds, (System.nanoTime() - start) / 1e9);
    }

    /** The seed of the fit of a cell on a fold: its place in the grid. */
    private long fitSeed(int cell, int fold) {
        return seed + (long) cell * folds + fold;
    }

    /** Fold accuracies per cell, the kernel read from one precomputed table per γ. */
    @SuppressWarnings("unchecked")
    private double[][] tableAccuracies(int[][] train, int[][] test) {
        double[][] rows = X.toArray();
        double[][][] grams = new double[gammas.length][][];
        int cellsCount = Cs.length * gammas.length;
        // The labels each fold trains on (sorted), and their pairs in the order RbfSvm fits them.
        int[][] classes = new int[folds][];
        for (int f = 0; f < folds; f++) {
            classes[f] = Arrays.stream(train[f]).map(i -> y[i]).distinct().sorted().toArray();
            if (classes[f].length < 2) {
                throw new IllegalArgumentException("SvmGridSearch: fold " + (f + 1) + " trains on one class only ("
                        + classes[f][0] + "); use fewer folds or more samples per class");
            }
        }
        Future<SVM<Integer>>[][][] machines = new Future[cellsCount][folds][];
        ExecutorService pool = pool();
        try {
            List<Future<double[][]>> tables = new ArrayList<>();
            for (double gamma : gammas) {
                tables.add(pool.submit(() -> RbfSvm.gram(rows, RbfSvm.kernel(gamma))));
            }
            for (int g = 0; g < gammas.length; g++) {
                grams[g] = tables.get(g).get();
            }
            for (int cell = 0; cell < cellsCount; cell++) {
                double C = Cs[cell / gammas.length];
                double[][] gram = grams[cell % gammas.length];
                for (int f = 0; f < folds; f++) {
                    int[] cls = classes[f];
                    int k = cls.length;
                    machines[cell][f] = new Future[k * (k - 1) / 2];
                    int p = 0;
                    for (int a = 0; a < k; a++) {
                        for (int b = a + 1; b < k; b++) {
                            int pos = cls[a];
                            int neg = cls[b];
                            long pairSeed = RbfSvm.pairSeed(fitSeed(cell, f), k, a, b);
                            int[] rowsOfFold = train[f];
                            machines[cell][f][p++] = pool.submit(() -> RbfSvm.fitPair(gram, rowsOfFold, y, pos, neg, C,
                                    pairSeed));
                        }
                    }
                }
            }
            double[][] accuracies = new double[cellsCount][folds];
            int[] votes = new int[Arrays.stream(classes).mapToInt(c -> c.length).max().orElse(2)];
            for (int cell = 0; cell < cellsCount; cell++) {
                for (int f = 0; f < folds; f++) {
                    int[] cls = classes[f];
                    int k = cls.length;
                    // m[a][b]: the machine of the pair (a, b), fitted in the order RbfSvm fits them
                    SVM<Integer>[][] m = new SVM[k][k];
                    int p = 0;
                    for (int a = 0; a < k; a++) {
                        for (int b = a + 1; b < k; b++) {
                            m[a][b] = machines[cell][f][p++].get();
                        }
                    }
                    int correct = 0;
                    for (int i : test[f]) {
                        if (cls[RbfSvm.vote(k, (a, b) -> m[a][b].score(i), votes)] == y[i]) {
                            correct++;
                        }
                    }
                    accuracies[cell][f] = (double) correct / test[f].length;
                }
            }
            return accuracies;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("grid search interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a grid-search fit failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Fold accuracies per cell for data too large for a kernel table: one RbfSvm per cell and fold. */
    private double[][] onDemandAccuracies(int[][] train, int[][] test) {
        Dataset all = new Dataset(X, y);
        Dataset[] trainSets = new Dataset[folds];
        Dataset[] testSets = new Dataset[folds];
        for (int f = 0; f < folds; f++) {
            trainSets[f] = all.rows(train[f]);
            testSets[f] = all.rows(test[f]);
        }
        int cellsCount = Cs.length * gammas.length;
        double[][] accuracies = new double[cellsCount][folds];
        ExecutorService pool = pool();
        try {
            List<Future<Double>> futures = new ArrayList<>();
            for (int cell = 0; cell < cellsCount; cell++) {
                double C = Cs[cell / gammas.length];
                double gamma = gammas[cell % gammas.length];
                for (int f = 0; f < folds; f++) {
                    Dataset tr = trainSets[f];
                    Dataset te = testSets[f];
                    long fitSeed = fitSeed(cell, f);
                    futures.add(pool.submit(() -> RbfSvm.fit(tr.X(), tr.y(), C, gamma, fitSeed).accuracy(te.X(), te.y())));
                }
            }
            for (int k = 0; k < futures.size(); k++) {
                accuracies[k / folds][k % folds] = futures.get(k).get();
            }
            return accuracies;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("grid search interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a grid-search fit failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private ExecutorService pool() {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nnlab-grid-search");
            t.setDaemon(true);
            return t;
        });
    }
}
