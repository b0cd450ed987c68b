import java.util.function.LongSupplier;
import nnlab.data.Dataset;
import nnlab.data.Datasets;
import nnlab.layers.Activation;
import nnlab.layers.Dense;
import nnlab.layers.Init;
import nnlab.layers.Sequential;
import nnlab.loss.Regularizer;
import nnlab.loss.SoftmaxCrossEntropy;
import nnlab.math.NumpyRandom;
import nnlab.optim.GradientDescent;
import nnlab.train.Trainer;

/** 2,000 full-batch iterations of the spiral benchmark's net; the result is the final loss's bits. */
public final class Spiral implements LongSupplier {
    @Override
    public long getAsLong() {
        NumpyRandom rng = new NumpyRandom(0);
        Dataset d = Datasets.spiral(100, 3, 0.2, rng);
        Sequential net = new Sequential(new Dense("1", 2, 100, Init.scaledNormal(0.01), rng), Activation.relu(),
                new Dense("2", 100, 3, Init.scaledNormal(0.01), rng));
        return Double.doubleToLongBits(new Trainer(net, new SoftmaxCrossEntropy()).optimizer(new GradientDescent(1.0))
                .regularizer(Regularizer.l2Half(1e-3)).fullBatch(2000).fit(d.X(), d.targets()).finalLoss());
    }
}
