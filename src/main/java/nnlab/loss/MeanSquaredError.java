package nnlab.loss;

import nnlab.math.Matrix;

/**
 * Mean squared error over all N x K entries: {@code L = mean((y - t)²)}, {@code dL/dy = 2(y - t)/(N·K)}.
 * A regression loss: it has no accuracy ({@link #accuracy} is NaN, so histories show no accuracy column values);
 * the goodness of fit is {@link #rSquared}.
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

    /** NaN: a regression has no fraction of correct classes. Use {@link #rSquared} for the goodness of fit. */
    @Override
    public double accuracy(Matrix predictions, Targets targets) {
        return Double.NaN;
    }

    /**
     * The coefficient of determination {@code R² = 1 - Σ(y-t)² / Σ(t - mean t)²} of predictions y (N x K) for targets
     * t (N x K): 1 for a perfect fit, 0 for predicting the mean.
     */
    public double rSquared(Matrix predictions, Targets targets) {
        targets.checkRows("R²", predictions);
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
