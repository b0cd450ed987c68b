package nnlab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small IDX files written by the tests themselves. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** An IDX file of unsigned bytes: magic 0x000008DD, the sizes, the data. */
    static byte[] idx(byte[] data, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(raw);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** n images of h x w whose pixel k of image i is (7 i + 3 k) mod 256. */
    static byte[] imagePixels(int n, int h, int w) {
        byte[] px = new byte[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h * w; k++) {
                px[i * h * w + k] = (byte) ((7 * i + 3 * k) % 256);
            }
        }
        return px;
    }

    static byte[] labelBytes(int n) {
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % 10);
        }
        return y;
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] b) {
        return hex("SHA-256", b);
    }

    static String md5(byte[] b) {
        return hex("MD5", b);
    }

    private static String hex(String algorithm, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The four raw IDX files of a tiny MNIST-like set: 12 training and 5 test images of 4x3. */
    static List<byte[]> tinySet() {
        return List.of(idx(imagePixels(12, 4, 3), 12, 4, 3), idx(labelBytes(12), 12),
                idx(imagePixels(5, 4, 3), 5, 4, 3), idx(labelBytes(5), 5));
    }

    static final List<String> NAMES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    /** Writes the tiny set gzip-compressed into folder under the MNIST names. */
    static Path writeTinySet(Path folder) {
        List<byte[]> raw = tinySet();
        for (int i = 0; i < 4; i++) {
            write(folder.resolve(NAMES.get(i)), gzip(raw.get(i)));
        }
        return folder;
    }

    /** A source like MNIST's whose checksums are those of the tiny set, served from the given mirrors. */
    static Mnist.Source tinySource(List<String> mirrors) {
        List<byte[]> raw = tinySet();
        List<Mnist.FileSpec> files = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(new Mnist.FileSpec(NAMES.get(i), sha256(raw.get(i)), md5(gzip(raw.get(i)))));
        }
        return new Mnist.Source("tiny", "mnist", mirrors, files, Mnist.MNIST.classes(), "the tests");
    }
}
