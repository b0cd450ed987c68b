package nnlab.loss;

import nnlab.math.Labels;
import nnlab.math.Matrix;

/**
 * The perceptron error of the moons exercise: {@code L = mean(max(0, -y·t))} for outputs y and targets t = ±1, with
 * {@code dL/dy = -t/N} where {@code y·t < 0} and 0 elsewhere (the subgradient 0 is taken at the kink y·t = 0).
 */
public final class PerceptronLoss implements Loss {
    @Override
    public LossResult evaluate(Matrix outputs, Targets targets) {
        targets.checkRows("perceptron error", outputs);
        double[] t = signs(targets);
        double[] y = outputs.data();
        int count = y.length;
        Matrix d = new Matrix(outputs.rows(), outputs.cols());
        double total = 0;
        for (int k = 0; k < count; k++) {
            double margin = -y[k] * t[k];
            if (margin > 0) {
                total += margin;
                d.data()[k] = -t[k] / count;
            }
        }
        return new LossResult(total / count, d);
    }

    private static double[] signs(Targets targets) {
        double[] t = targets.values().data();
        for (double v : t) {
            if (v != 1.0 && v != -1.0) {
                throw new IllegalArgumentException("perceptron error: target " + v
                        + " is not ±1; map 0/1 labels with t = 2·y - 1");
            }
        }
        return t;
    }

    /** Sign of the output: 1 for y > 0, else -1 (returned as 1 / 0 class indices). */
    @Override
    public int[] predict(Matrix outputs) {
        int[] p = new int[outputs.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = outputs.data()[k] > 0 ? 1 : 0;
        }
        return p;
    }

    @Override
    public double accuracy(Matrix outputs, Targets targets) {
        double[] t = signs(targets);
        int[] truth = new int[t.length];
        for (int k = 0; k < t.length; k++) {
            truth[k] = t[k] > 0 ? 1 : 0;
        }
        return Labels.accuracy(predict(outputs), truth);
    }

    @Override
    public String name() {
        return "perceptron error";
    }
}
