package nnlab.loss;

import nnlab.math.Matrix;

/**
 * Mean squared error over all N x K entries: {@code L = mean((y - t)²)}, {@code dL/dy = 2(y - t)/(N·K)}.
 * Its "accuracy" is the coefficient of determination R² (1 is a perfect fit).
 */
public final class MeanSquaredError implements Loss {
    @Override
    public LossResult evaluate(Matrix predictions, Targets targets) {
        targets.checkRows("mean squared error", predictions);
        Matrix t = targets.values();
        Matrix diff = predictions.sub(t);
        int count = predictions.size();
        return new LossResult(diff.sumOfSquares() / count, diff.timesInPlace(2.0 / count));
    }

    /** R² = 1 - Σ(y-t)² / Σ(t - mean t)². */
    @Override
    public double accuracy(Matrix predictions, Targets targets) {
        Matrix t = targets.values();
        double sse = predictions.sub(t).sumOfSquares();
        double mean = t.mean();
        double sst = t.plus(-mean).sumOfSquares();
        return 1.0 - sse / sst;
    }

    @Override
    public String name() {
        return "mean squared error";
    }
}
