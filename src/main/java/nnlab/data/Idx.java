package nnlab.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The IDX format of MNIST and Fashion-MNIST: a magic number {@code 0x0000TTDD} (TT the element type, DD the number of
 * dimensions), DD big-endian 32-bit sizes, then the elements in row-major order. Only unsigned bytes ({@code TT = 0x08})
 * occur in these data sets, and only those are read. Files may be gzip-compressed or raw; which one is detected from
 * the content (the gzip magic bytes), not the file name.
 *
 * <p>Everything is checked against everything else: the magic number, the number of dimensions, each size, the
 * element count against the bytes actually present (a truncated or overlong file is an error), and for images and
 * labels the expected dimensions. Errors are {@link DataFileException}s naming the file and what is wrong.
 */
public final class Idx {
    /** The IDX element type of unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_DIMENSIONS = 4;

    private final Path file;
    private final int[] dims;
    private final byte[] data;

    private Idx(Path file, int[] dims, byte[] data) {
        this.file = file;
        this.dims = dims;
        this.data = data;
    }

    /** The file this was read from. */
    public Path file() {
        return file;
    }

    /** The sizes, e.g. {@code [60000, 28, 28]} for MNIST's training images. */
    public int[] dims() {
        return dims.clone();
    }

    /** The elements as unsigned bytes in row-major order (the array itself, not a copy). */
    public byte[] data() {
        return data;
    }

    /** Reads an IDX file of unsigned bytes, gzip-compressed or raw. */
    public static Idx read(Path file) {
        return read(file, null);
    }

    /**
     * Reads an IDX file and, if {@code sha256} is not null, checks the SHA-256 of its (decompressed) content against it.
     */
    public static Idx read(Path file, String sha256) {
        MessageDigest digest = sha256 == null ? null : sha256();
        try (InputStream raw = open(file)) {
            InputStream in = digest == null ? raw : new DigestInputStream(raw, digest);
            byte[] head = new byte[4];
            int got = in.readNBytes(head, 0, 4);
            if (got < 4) {
                throw corrupt(file, "has " + got + " bytes, too short for an IDX header");
            }
            if (head[0] != 0 || head[1] != 0) {
                throw corrupt(file, String.format("does not start with an IDX magic number (0x0000TTDD): its first "
                        + "bytes are %02x %02x %02x %02x", head[0] & 0xff, head[1] & 0xff, head[2] & 0xff,
                        head[3] & 0xff));
            }
            int type = head[2] & 0xff;
            int ndim = head[3] & 0xff;
            if (type != UNSIGNED_BYTE) {
                throw corrupt(file, String.format("has element type 0x%02x; MNIST-style files hold unsigned bytes "
                        + "(0x08)", type));
            }
            if (ndim < 1 || ndim > MAX_DIMENSIONS) {
                throw corrupt(file, "declares " + ndim + " dimensions; expected 1 to " + MAX_DIMENSIONS);
            }
            byte[] sizeBytes = new byte[4 * ndim];
            got = in.readNBytes(sizeBytes, 0, sizeBytes.length);
            if (got < sizeBytes.length) {
                throw corrupt(file, "is truncated inside its header: " + ndim + " sizes need " + sizeBytes.length
                        + " bytes after the magic number, only " + got + " are there");
            }
            int[] dims = new int[ndim];
            long count = 1;
            for (int d = 0; d < ndim; d++) {
                int s = ((sizeBytes[4 * d] & 0xff) << 24) | ((sizeBytes[4 * d + 1] & 0xff) << 16)
                        | ((sizeBytes[4 * d + 2] & 0xff) << 8) | (sizeBytes[4 * d + 3] & 0xff);
                if (s < 0) {
                    throw corrupt(file, "declares a negative size in dimension " + d + " (" + s + ")");
                }
                dims[d] = s;
                count *= s;
                if (count > Integer.MAX_VALUE - 16) {
                    throw corrupt(file, "declares sizes " + Arrays.toString(Arrays.copyOf(dims, d + 1))
                            + ", more elements than fit in memory; the header is probably corrupt");
                }
            }
            byte[] data = new byte[(int) count];
            got = in.readNBytes(data, 0, data.length);
            if (got < data.length) {
                throw corrupt(file, "is truncated: its header " + Arrays.toString(dims) + " announces " + count
                        + " bytes of data, only " + got + " are there");
            }
            long extra = 0;
            byte[] skip = new byte[8192];
            for (int n; (n = in.read(skip)) > 0; ) {
                extra += n;
            }
            if (extra > 0) {
                throw corrupt(file, "has " + extra + " bytes after the " + count + " its header "
                        + Arrays.toString(dims) + " announces; the file is damaged or not what its name says");
            }
            if (digest != null) {
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equalsIgnoreCase(sha256)) {
                    throw new DataFileException(file, file + ": the SHA-256 of its content is " + actual
                            + ", expected " + sha256 + ": the file is corrupt or from a different data set." + FIX);
                }
            }
            return new Idx(file, dims, data);
        } catch (NoSuchFileException e) {
            throw new DataFileException(file, file + ": no such file", e);
        } catch (EOFException e) {
            throw corrupt(file, "is truncated: the gzip stream ends early (" + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw corrupt(file, "is not a valid gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFileException(file, file + ": cannot be read: " + e, e);
        }
    }

    /**
     * Reads images: an IDX file of 3 dimensions (count, height, width). {@code sha256} may be null (no check).
     */
    public static ImageBytes images(Path file, String sha256) {
        Idx idx = read(file, sha256);
        if (idx.dims.length != 3) {
            throw corrupt(file, "has " + idx.dims.length + " dimensions " + Arrays.toString(idx.dims)
                    + "; an image file has 3 (count, height, width). Is this a label file?");
        }
        return new ImageBytes(idx.data, idx.dims[0], idx.dims[1], idx.dims[2]);
    }

    /**
     * Reads class labels: an IDX file of 1 dimension whose values must lie in {@code 0 .. classes - 1}.
     * {@code sha256} may be null (no check).
     */
    public static int[] labels(Path file, String sha256, int classes) {
        Idx idx = read(file, sha256);
        if (idx.dims.length != 1) {
            throw corrupt(file, "has " + idx.dims.length + " dimensions " + Arrays.toString(idx.dims)
                    + "; a label file has 1. Is this an image file?");
        }
        int[] y = new int[idx.data.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = idx.data[i] & 0xff;
            if (y[i] >= classes) {
                throw corrupt(file, "has label " + y[i] + " at position " + i + "; labels must lie in 0.."
                        + (classes - 1));
            }
        }
        return y;
    }

    /** Opens a file for reading, decompressing it if it starts with the gzip magic bytes 1f 8b. */
    static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static final String FIX = " Replace it with a good copy: delete it and load again to download it, or copy"
            + " the original file there.";

    private static DataFileException corrupt(Path file, String what) {
        return new DataFileException(file, file + " " + what + "." + FIX);
    }

    private static DataFileException corrupt(Path file, String what, Throwable cause) {
        return new DataFileException(file, file + " " + what + "." + FIX, cause);
    }
}
