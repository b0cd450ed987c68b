package nnlab.layers;

import nnlab.math.Matrix;

/**
 * The point where images (N, C, H, W) become feature vectors (N, C·H·W) for a {@link Dense} layer.
 *
 * <p>In nnlab's batch layout ({@link ImageShape}) an image is already one row of C·H·W values in channel-major
 * order, so flattening moves no numbers: forward returns its input and backward its output gradient unchanged. What
 * the layer adds is the check that the images have the expected shape, and the size the next layer must take
 * ({@link #outputSize()}), in the order PyTorch's {@code x.view(N, -1)} uses.
 */
public final class Flatten implements Layer {
    private final ImageShape in;

    /** Images of shape in (C, H, W), given as N × C·H·W, passed on as N × C·H·W rows (the data as it is). */
    public Flatten(ImageShape in) {
        this.in = in;
    }

    /** The shape (C, H, W) of one input image. */
    public ImageShape inputShape() {
        return in;
    }

    /** C·H·W: the input size of the Dense layer that follows. */
    public int outputSize() {
        return in.size();
    }

    /** x (N × C·H·W), returned as it is (the same matrix). */
    @Override
    public Matrix forward(Matrix x) {
        if (x.cols() != in.size()) {
            throw in.mismatch(describe(), x.rows(), x.cols());
        }
        return x;
    }

    /** dout (N × C·H·W), returned as it is. */
    @Override
    public Matrix backward(Matrix dout) {
        if (dout.cols() != in.size()) {
            throw new IllegalArgumentException(describe() + ": dout " + dout.shapeString() + " should have "
                    + in.size() + " columns");
        }
        return dout;
    }

    /** e.g. {@code Flatten((32, 7, 7) -> 1568)}. */
    @Override
    public String describe() {
        return "Flatten(" + in + " -> " + in.size() + ")";
    }
}
