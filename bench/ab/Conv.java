import java.util.function.LongSupplier;
import nnlab.layers.Activation;
import nnlab.layers.Conv2D;
import nnlab.layers.Dense;
import nnlab.layers.Flatten;
import nnlab.layers.ImageShape;
import nnlab.layers.Init;
import nnlab.layers.MaxPool2D;
import nnlab.layers.Sequential;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.loss.Targets;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import nnlab.optim.GradientDescent;
import nnlab.train.Trainer;

/**
 * One epoch over 1,000 random digits of the conv benchmark's net (the one {@code ConvBench} builds: this class is
 * compiled against each build on its own, apart from the benchmarks); the result is one weight's bits afterwards.
 */
public final class Conv implements LongSupplier {
    private final Trainer trainer;
    private final Matrix x;
    private final int[] labels;
    private final Conv2D last;

    public Conv() {
        NumpyRandom rng = new NumpyRandom(0);
        ImageShape digit = new ImageShape(1, 28, 28);
        Conv2D c1 = new Conv2D("1", digit, 16, 3, 1, 1, rng);
        Conv2D c2 = new Conv2D("2", c1.outputShape(), 16, 3, 1, 1, rng);
        MaxPool2D p1 = new MaxPool2D(c2.outputShape(), 2);
        Conv2D c3 = new Conv2D("3", p1.outputShape(), 32, 3, 1, 1, rng);
        last = new Conv2D("4", c3.outputShape(), 32, 3, 1, 1, rng);
        MaxPool2D p2 = new MaxPool2D(last.outputShape(), 2);
        Flatten flat = new Flatten(p2.outputShape());
        double a = 1 / Math.sqrt(flat.outputSize());
        Sequential net = new Sequential(c1, Activation.relu(), c2, Activation.relu(), p1, c3, Activation.relu(), last,
                Activation.relu(), p2, flat, new Dense("5", flat.outputSize(), 10, Init.uniform(a), Init.uniform(a),
                rng));
        x = rng.randn(1000, digit.size());
        labels = rng.randint(0, 10, 1000);
        trainer = new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(0.01));
    }

    @Override
    public long getAsLong() {
        trainer.miniBatches(100, 1, 0).fit(x, Targets.labels(labels));
        return Double.doubleToLongBits(last.W().get(0, 0));
    }
}
