package nnlab.data;

import nnlab.math.Matrix;

/**
 * Gray-scale images as the IDX files store them: one unsigned byte (0..255) per pixel, image after image, each in
 * row-major order. This is the compact form (MNIST's 60 000 training images take 47 MB here, 376 MB as doubles):
 * {@link #range} and {@link #first} are views that share the bytes, and {@link #toMatrix} converts only the images of
 * the view, so a subset never needs the full set as doubles.
 */
public final class ImageBytes {
    private final byte[] pixels;
    private final int offset;
    private final int count;
    private final int height;
    private final int width;

    /** {@code count} images of height x width taken from {@code pixels} (not copied). */
    public ImageBytes(byte[] pixels, int count, int height, int width) {
        this(pixels, 0, count, height, width);
    }

    private ImageBytes(byte[] pixels, int offset, int count, int height, int width) {
        if (count < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException("ImageBytes: " + count + " images of " + height + "x" + width);
        }
        long need = (long) (offset + count) * height * width;
        if (need > pixels.length) {
            throw new IllegalArgumentException("ImageBytes: " + count + " images of " + height + "x" + width
                    + " need " + need + " bytes, the array has " + pixels.length);
        }
        this.pixels = pixels;
        this.offset = offset;
        this.count = count;
        this.height = height;
        this.width = width;
    }

    public int count() {
        return count;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Pixels per image (784 for MNIST). */
    public int pixelsPerImage() {
        return height * width;
    }

    /** Pixel k (row-major, 0..height*width-1) of image i, 0..255. */
    public int pixel(int i, int k) {
        if (i < 0 || i >= count || k < 0 || k >= height * width) {
            throw new IndexOutOfBoundsException("pixel (" + i + ", " + k + ") outside " + count + " images of "
                    + height * width + " pixels");
        }
        return pixels[(offset + i) * height * width + k] & 0xff;
    }

    /** Images [from, to) as a view sharing the bytes. */
    public ImageBytes range(int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("range: [" + from + ", " + to + ") is not inside [0, " + count + "]");
        }
        return new ImageBytes(pixels, offset + from, to - from, height, width);
    }

    /** The first n images (all of them if there are fewer) as a view sharing the bytes. */
    public ImageBytes first(int n) {
        return range(0, Math.min(Math.max(n, 0), count));
    }

    /**
     * The images as a count x (height*width) matrix, one image per row in row-major pixel order, each pixel
     * {@code p} (0..255) becoming {@code (p / 255.0 - mean) / std}; mean 0 and std 1 give pixels in [0, 1].
     */
    public Matrix toMatrix(double mean, double std) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("toMatrix: the standard deviation must be positive, got " + std);
        }
        double[] lut = new double[256];
        for (int p = 0; p < 256; p++) {
            lut[p] = (p / 255.0 - mean) / std;
        }
        int d = height * width;
        double[] out = new double[Math.multiplyExact(count, d)];
        int base = offset * d;
        for (int i = 0; i < out.length; i++) {
            out[i] = lut[pixels[base + i] & 0xff];
        }
        return Matrix.wrap(count, d, out);
    }

    /** Pixels in [0, 1]: {@code toMatrix(0, 1)}. */
    public Matrix toMatrix() {
        return toMatrix(0, 1);
    }
}
