package nnlab.train;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import nnlab.layers.Sequential;
import nnlab.layers.TrainingPass;
import nnlab.loss.Loss;
import nnlab.loss.LossResult;
import nnlab.loss.Regularizer;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.optim.GradientDescent;
import nnlab.optim.Optimizer;

/**
 * The training loop: forward, loss (+ penalty), backward, penalty gradient, optimizer step, repeated.
 *
 * <pre>{@code
 * History h = new Trainer(model, new SoftmaxCrossEntropy())
 *         .optimizer(new GradientDescent(1.0))
 *         .regularizer(Regularizer.l2Half(1e-3))
 *         .fullBatch(10_000)
 *         .every(1000, p -> System.out.printf("iteration %d: loss %f%n", p.step(), p.loss()))
 *         .fit(X, Targets.labels(y));
 * }</pre>
 *
 * <p>Full-batch mode records every iteration's loss (the loss of the parameters before that iteration's update) and
 * training accuracy. Mini-batch mode ({@link #miniBatches}) reshuffles the sample order every epoch with a seeded
 * {@link NumpyRandom} and records per epoch the mean batch loss and the mean batch accuracy. A validation set, if
 * given, is scored whenever a row is recorded. A NaN or infinite number stops training with a
 * {@link TrainingDivergedException} naming the iteration and the learning rate: in the inputs or targets (before the
 * first step), in a parameter (before the first step or after any update), or in the loss.
 */
public final class Trainer {
    private final Sequential model;
    private final Loss loss;
    private Optimizer optimizer = new GradientDescent(0.1);
    private Regularizer regularizer = Regularizer.none();
    private boolean miniBatch;
    private int steps = 100;
    private int batchSize;
    private long seed;
    private int every;
    private Consumer<Progress> callback;
    private boolean showProgress;
    private Matrix validationX;
    private Targets validationY;

    /** Trains {@code model} (inputs N × D to scores N × K) on {@code loss}; see the setters for the defaults. */
    public Trainer(Sequential model, Loss loss) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    /** The optimizer that updates the parameters after each batch (default: {@code new GradientDescent(0.1)}). */
    public Trainer optimizer(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        return this;
    }

    /** The penalty added to the data loss, its gradient to the parameters' (default: {@link Regularizer#none()}). */
    public Trainer regularizer(Regularizer regularizer) {
        this.regularizer = Objects.requireNonNull(regularizer, "regularizer");
        return this;
    }

    /** Full-batch gradient descent for the given number of iterations. */
    public Trainer fullBatch(int iterations) {
        requirePositive("iterations", iterations);
        this.miniBatch = false;
        this.steps = iterations;
        return this;
    }

    /** Mini-batches of batchSize, reshuffled every epoch from a NumpyRandom(seed) stream. */
    public Trainer miniBatches(int batchSize, int epochs, long seed) {
        requirePositive("batch size", batchSize);
        requirePositive("epochs", epochs);
        this.miniBatch = true;
        this.batchSize = batchSize;
        this.steps = epochs;
        this.seed = seed;
        return this;
    }

    /** Calls back every n iterations (full batch) or epochs (mini-batch), and after the last one. */
    public Trainer every(int n, Consumer<Progress> callback) {
        requirePositive("callback interval", n);
        this.every = n;
        this.callback = callback;
        return this;
    }

    /** Shows one progress line, updated in place, while training. */
    public Trainer showProgress() {
        this.showProgress = true;
        return this;
    }

    /**
     * Data to measure the test loss (the data term, without the penalty) and the test accuracy on, at every recorded
     * step: every epoch in mini-batch mode, at the callback's steps and the last one in full-batch mode.
     */
    public Trainer validation(Matrix x, Targets y) {
        if (x.rows() != y.size()) {
            throw new IllegalArgumentException("validation: " + x.rows() + " samples but " + y.size() + " targets");
        }
        this.validationX = x;
        this.validationY = y;
        return this;
    }

    private static void requirePositive(String what, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + n);
        }
    }

    /** The total loss (data + penalty) of a batch and the scores it came from. */
    public record BatchLoss(double loss, Matrix scores) {
    }

    /**
     * Loss (data + penalty) at the current parameters for the batch x (B x D), y (B targets), through the plain
     * {@code model.forward} / {@code model.backward}; leaves the gradients (penalty included) in the model.
     */
    public BatchLoss lossAndGradients(Matrix x, Targets y) {
        Matrix scores = model.forward(x);
        LossResult r = loss.evaluate(scores, y);
        model.backward(r.dscores());
        return withPenalty(r, scores);
    }

    /** Adds the penalty's gradients to the model's and its value to the data loss. */
    private BatchLoss withPenalty(LossResult r, Matrix scores) {
        regularizer.addGradients(model);
        return new BatchLoss(r.loss() + regularizer.penalty(model), scores);
    }

    /**
     * The same step inside {@link #fit}, through a {@link TrainingPass}: identical arithmetic, but the library's layers
     * write into buffers they reuse from step to step (no fresh 300x100 matrices on every iteration), and the input
     * gradient of the first layer is skipped. Layers without that fast path (a user's) run their plain methods.
     */
    private BatchLoss trainingStep(TrainingPass pass, Matrix x, Targets y) {
        Matrix scores = pass.forward(x);
        LossResult r = loss.evaluate(scores, y);
        pass.backward(r.dscores());
        return withPenalty(r, scores);
    }

    /**
     * Trains the model on x (N x D, one sample per row) and y (N labels, or N x K values) as configured, updating
     * its parameters in place; x and y are not modified.
     *
     * @return one row per iteration (full batch) or epoch (mini-batches): loss, training accuracy, and the
     *     validation loss and accuracy where measured
     * @throws IllegalArgumentException when x and y do not have one target per sample, or a layer rejects the input
     *     shape (naming the layers and shapes)
     * @throws TrainingDivergedException at the first NaN or infinite number in the data, a parameter or the loss
     */
    public History fit(Matrix x, Targets y) {
        if (x.rows() != y.size()) {
            throw new IllegalArgumentException("fit: " + x.rows() + " samples in X but " + y.size()
                    + " targets; expected one target per row of X");
        }
        if (x.rows() == 0) {
            throw new IllegalArgumentException("fit: no training samples");
        }
        NanGuard.checkInputs("training inputs X", x, 0, optimizer.learningRate());
        if (validationX != null) {
            NanGuard.checkInputs("validation inputs", validationX, 0, optimizer.learningRate());
        }
        if (!y.isLabels()) {
            NanGuard.checkInputs("training targets", y.values(), 0, optimizer.learningRate());
        }
        NanGuard.checkParams(model.params(), 0, optimizer.learningRate(), false);
        TrainingPass pass = new TrainingPass(model);
        History history = new History(miniBatch ? "epoch" : "iteration");
        NanGuard guard = new NanGuard();
        ProgressLine progress = showProgress ? new ProgressLine("training", steps) : null;
        long start = System.nanoTime();
        if (!miniBatch) {
            for (int it = 0; it < steps; it++) {
                BatchLoss r = trainingStep(pass, x, y);
                guard.check(r.loss(), it, optimizer.learningRate());
                double trainAcc = loss.accuracy(r.scores(), y);
                boolean report = callback != null && (it % every == 0 || it == steps - 1);
                Validation v = validationX != null && (report || it == steps - 1) ? validate() : Validation.NONE;
                double testAcc = v.accuracy();
                history.record(it, r.loss(), trainAcc, v.loss(), testAcc);
                step(it);
                if (progress != null) {
                    progress.update(it + 1, "loss", r.loss());
                }
                if (report) {
                    callback.accept(new Progress(it, steps, "iteration", r.loss(), trainAcc, testAcc,
                            (System.nanoTime() - start) / 1e9));
                }
            }
        } else {
            NumpyRandom rng = new NumpyRandom(seed);
            int n = x.rows();
            for (int epoch = 0; epoch < steps; epoch++) {
                int[] order = rng.permutation(n);
                double lossSum = 0;
                double accSum = 0;
                int batches = 0;
                for (int from = 0; from < n; from += batchSize) {
                    int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + batchSize));
                    Targets yb = y.rows(idx);
                    BatchLoss r = trainingStep(pass, x.rows(idx), yb);
                    guard.check(r.loss(), epoch * ((n + batchSize - 1) / batchSize) + batches,
                            optimizer.learningRate());
                    lossSum += r.loss();
                    accSum += loss.accuracy(r.scores(), yb);
                    step(epoch * ((n + batchSize - 1) / batchSize) + batches);
                    batches++;
                }
                Validation v = validationX != null ? validate() : Validation.NONE;
                double testAcc = v.accuracy();
                history.record(epoch, lossSum / batches, accSum / batches, v.loss(), testAcc);
                if (progress != null) {
                    progress.update(epoch + 1, validationX == null
                            ? String.format(Locale.ROOT, "loss %.4f", lossSum / batches)
                            : String.format(Locale.ROOT, "loss %.4f, test loss %.4f, test acc %.4f",
                                    lossSum / batches, v.loss(), testAcc));
                }
                if (callback != null && (epoch % every == 0 || epoch == steps - 1)) {
                    callback.accept(new Progress(epoch, steps, "epoch", lossSum / batches, accSum / batches,
                            testAcc, (System.nanoTime() - start) / 1e9));
                }
            }
        }
        history.setSeconds((System.nanoTime() - start) / 1e9);
        if (progress != null) {
            progress.finish(summary(history, steps));
        }
        return history;
    }

    /** Loss (the data term, without penalty) and accuracy on the validation set. */
    private record Validation(double loss, double accuracy) {
        static final Validation NONE = new Validation(Double.NaN, Double.NaN);
    }

    private Validation validate() {
        Matrix scores = model.forward(validationX);
        return new Validation(loss.evaluate(scores, validationY).loss(), loss.accuracy(scores, validationY));
    }

    /** The optimizer's update, then a check that every parameter is still finite. */
    private void step(int iteration) {
        Map<String, Matrix> params = model.params();
        optimizer.step(params, model.grads());
        NanGuard.checkParams(params, iteration, optimizer.learningRate(), true);
    }

    /** The closing line of the progress display: "trained 300 iterations in 1.2 s: loss 0.2450, training accuracy 98.0%". */
    private static String summary(History h, int steps) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "trained %d %s%s in {s}: loss %.4f, "
                + "training accuracy %.1f%%", steps, h.stepName(), steps == 1 ? "" : "s", h.finalLoss(),
                100 * h.finalTrainAccuracy()));
        if (h.hasTestAccuracy()) {
            sb.append(String.format(Locale.ROOT, ", test accuracy %.1f%%", 100 * h.finalTestAccuracy()));
        }
        return sb.toString();
    }

    /** A one-line summary of a progress snapshot, e.g. for printing every N iterations. */
    public static String format(Progress p) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %d: loss %f", p.stepName(), p.step(),
                p.loss()));
        if (!Double.isNaN(p.trainAccuracy())) {
            sb.append(String.format(Locale.ROOT, ", train acc %.4f", p.trainAccuracy()));
        }
        if (!Double.isNaN(p.testAccuracy())) {
            sb.append(String.format(Locale.ROOT, ", test acc %.4f", p.testAccuracy()));
        }
        return sb.toString();
    }
}
