package nnlab.layers;

/**
 * The shape (C, H, W) of one image of a batch: channels, height, width.
 *
 * <p>How a batch of N images travels through nnlab's 2-D {@link nnlab.math.Matrix}: one image per row, N rows and
 * C·H·W columns, the values of a row in channel-major order (channel, then row, then column: PyTorch's
 * {@code x.reshape(N, -1)} of an N×C×H×W tensor). Pixel (c, h, w) of image n sits at row n, column
 * {@code (c·H + h)·W + w}. An MNIST batch (N×784, each row a 28×28 image in row-major order) is therefore already an
 * N×1×28×28 batch. The matrix does not carry the shape; each image layer ({@link Conv2D}, {@link MaxPool2D},
 * {@link Flatten}) is built for one input shape, checks that its input has C·H·W columns and reports its output
 * shape, from which the next layer is built.
 */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("ImageShape: channels, height and width must be at least 1, got ("
                    + channels + ", " + height + ", " + width + ")");
        }
    }

    /** C·H·W: the number of columns one image takes in a batch matrix. */
    public int size() {
        return channels * height * width;
    }

    /** H·W: the values of one channel. */
    public int plane() {
        return height * width;
    }

    /** The column of pixel (c, h, w) in a batch matrix. */
    public int index(int c, int h, int w) {
        return (c * height + h) * width + w;
    }

    /** {@code (C, H, W)}, e.g. {@code (16, 28, 28)}. */
    @Override
    public String toString() {
        return "(" + channels + ", " + height + ", " + width + ")";
    }

    /** A guess at the shape behind a number of columns, for error messages: same channels, else same plane. */
    String guessFor(int columns) {
        if (columns % channels == 0) {
            int side = (int) Math.round(Math.sqrt(columns / (double) channels));
            if (side * side * channels == columns) {
                return columns + " = " + channels + "·" + side + "·" + side + ", i.e. " + channels + " channel"
                        + (channels == 1 ? "" : "s") + " of " + side + "x" + side;
            }
        }
        if (columns % plane() == 0) {
            int c = columns / plane();
            return columns + " = " + c + "·" + height + "·" + width + ", i.e. " + c + " channel" + (c == 1 ? "" : "s")
                    + " of " + height + "x" + width;
        }
        return null;
    }

    /** The error for an input matrix whose columns do not match this shape. */
    IllegalArgumentException mismatch(String layer, int rows, int columns) {
        String guess = guessFor(columns);
        return new IllegalArgumentException(layer + ": input (" + rows + "x" + columns + ") has " + columns
                + " values per example, but the layer expects images of shape " + this + " (C·H·W = " + channels
                + "·" + height + "·" + width + " = " + size() + " columns)"
                + (guess == null ? "" : "; " + guess + ": build the layer for that shape, or check the layer before"));
    }
}
