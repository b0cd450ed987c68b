package nnlab.train;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** What a training run recorded: one row per recorded iteration (or epoch). */
public final class History {
    private final String stepName;
    private final List<Integer> steps = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> trainAccuracy = new ArrayList<>();
    private final List<Double> testAccuracy = new ArrayList<>();
    private final List<Double> testLoss = new ArrayList<>();
    private double seconds;

    /** An empty history whose rows are counted in {@code stepName} ("iteration" or "epoch"). */
    public History(String stepName) {
        this.stepName = stepName;
    }

    /** Adds a row; pass NaN for an accuracy that was not measured. */
    public void record(int step, double loss, double trainAcc, double testAcc) {
        record(step, loss, trainAcc, Double.NaN, testAcc);
    }

    /** Adds a row with the test loss too; pass NaN for what was not measured. */
    public void record(int step, double loss, double trainAcc, double testLoss, double testAcc) {
        steps.add(step);
        losses.add(loss);
        trainAccuracy.add(trainAcc);
        this.testLoss.add(testLoss);
        testAccuracy.add(testAcc);
    }

    void setSeconds(double seconds) {
        this.seconds = seconds;
    }

    /** Wall-clock seconds the training took. */
    public double seconds() {
        return seconds;
    }

    /** "iteration" or "epoch". */
    public String stepName() {
        return stepName;
    }

    /** The number of recorded rows. */
    public int size() {
        return steps.size();
    }

    /** The step (iteration or epoch) of each row. */
    public int[] steps() {
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The training loss (data + penalty) of each row. */
    public double[] losses() {
        return losses.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The training accuracy of each row, NaN where it was not measured. */
    public double[] trainAccuracies() {
        return trainAccuracy.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The test (validation) accuracy of each row, NaN where it was not measured. */
    public double[] testAccuracies() {
        return testAccuracy.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The loss on the test (validation) set per row, NaN where it was not measured. */
    public double[] testLosses() {
        return testLoss.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Whether any row has a test loss. */
    public boolean hasTestLoss() {
        return testLoss.stream().anyMatch(v -> !v.isNaN());
    }

    /** The test loss of the last row (NaN if not measured). */
    public double finalTestLoss() {
        return testLoss.get(testLoss.size() - 1);
    }

    /** Whether any row has a test accuracy. */
    public boolean hasTestAccuracy() {
        return testAccuracy.stream().anyMatch(v -> !v.isNaN());
    }

    /** The training loss of the last row. */
    public double finalLoss() {
        return losses.get(losses.size() - 1);
    }

    /** The training accuracy of the last row (NaN if not measured). */
    public double finalTrainAccuracy() {
        return trainAccuracy.get(trainAccuracy.size() - 1);
    }

    /** The test accuracy of the last row (NaN if not measured). */
    public double finalTestAccuracy() {
        return testAccuracy.get(testAccuracy.size() - 1);
    }

    /**
     * The history as a Tablesaw table with columns step name, loss, train_accuracy and, if measured, test_loss and
     * test_accuracy.
     */
    public Table toTable() {
        Table t = Table.create("training history",
                IntColumn.create(stepName, steps()),
                DoubleColumn.create("loss", losses()),
                DoubleColumn.create("train_accuracy", trainAccuracies()));
        if (hasTestLoss()) {
            t.addColumns(DoubleColumn.create("test_loss", testLosses()));
        }
        if (hasTestAccuracy()) {
            t.addColumns(DoubleColumn.create("test_accuracy", testAccuracies()));
        }
        return t;
    }

    /** Every n-th row (and the last), for printing a long history. */
    public Table toTable(int every) {
        Table full = toTable();
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < full.rowCount(); i++) {
            if (i % every == 0 || i == full.rowCount() - 1) {
                keep.add(i);
            }
        }
        return full.rows(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public String toString() {
        return toTable().printAll();
    }
}
