package nnlab.data;

import static nnlab.data.IdxFiles.gzip;
import static nnlab.data.IdxFiles.idx;
import static nnlab.data.IdxFiles.imagePixels;
import static nnlab.data.IdxFiles.labelBytes;
import static nnlab.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import nnlab.math.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    private void assertFails(Path file, String expected, Runnable action) {
        DataFileException e = assertThrows(DataFileException.class, action::run);
        assertTrue(e.getMessage().contains(file.toString()), () -> "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "says '" + expected + "': " + e.getMessage());
        assertEquals(file, e.file());
    }

    @Test
    void rawAndGzipReadTheSame() {
        byte[] raw = idx(imagePixels(3, 4, 5), 3, 4, 5);
        Idx a = Idx.read(write(dir.resolve("a-idx3-ubyte"), raw));
        Idx b = Idx.read(write(dir.resolve("no-gz-suffix"), gzip(raw)));   // detected by content, not by name
        assertArrayEquals(new int[] {3, 4, 5}, a.dims());
        assertArrayEquals(a.data(), b.data());
        assertArrayEquals(imagePixels(3, 4, 5), a.data());
    }

    @Test
    void imagesScaleToUnitIntervalRowMajor() {
        byte[] px = new byte[2 * 2 * 3];
        px[0] = (byte) 255;
        px[5] = (byte) 51;
        px[6] = (byte) 128;
        ImageBytes im = Idx.images(write(dir.resolve("im"), idx(px, 2, 2, 3)), null);
        Matrix X = im.toMatrix();
        assertEquals(2, X.rows());
        assertEquals(6, X.cols());
        assertEquals(1.0, X.get(0, 0));
        assertEquals(0.2, X.get(0, 5), 1e-15);
        assertEquals(128 / 255.0, X.get(1, 0));
        assertEquals(0.0, X.get(1, 1));
        Matrix Z = im.toMatrix(0.1307, 0.3081);
        assertEquals((1.0 - 0.1307) / 0.3081, Z.get(0, 0), 1e-12);
        assertEquals(-0.1307 / 0.3081, Z.get(1, 1), 1e-12);
    }

    @Test
    void viewsShareTheBytesAndConvertOnlyTheirImages() {
        ImageBytes im = Idx.images(write(dir.resolve("im"), idx(imagePixels(10, 2, 2), 10, 2, 2)), null);
        ImageBytes mid = im.range(3, 7);
        assertEquals(4, mid.count());
        assertEquals(im.pixel(3, 1), mid.pixel(0, 1));
        Matrix all = im.toMatrix();
        Matrix part = mid.toMatrix();
        assertEquals(all.rowRange(3, 7), part);
        assertEquals(10, im.first(50).count());
        assertEquals(2, im.first(2).toMatrix().rows());
        assertThrows(IndexOutOfBoundsException.class, () -> im.range(5, 11));
    }

    @Test
    void labelsInRangeAreRead() {
        int[] y = Idx.labels(write(dir.resolve("y"), idx(labelBytes(13), 13)), null, 10);
        assertEquals(13, y.length);
        assertEquals(9, y[9]);
        assertEquals(2, y[12]);
    }

    @Test
    void labelOutsideTheClassesIsRejected() {
        byte[] y = labelBytes(8);
        y[5] = 12;
        Path f = write(dir.resolve("labels"), gzip(idx(y, 8)));
        assertFails(f, "label 12 at position 5", () -> Idx.labels(f, null, 10));
    }

    @Test
    void wrongMagicIsRejected() {
        byte[] raw = idx(labelBytes(4), 4);
        raw[0] = 0x50;   // e.g. a PNG or a text file
        Path f = write(dir.resolve("bad"), raw);
        assertFails(f, "magic number", () -> Idx.read(f));
    }

    @Test
    void wrongElementTypeIsRejected() {
        byte[] raw = idx(labelBytes(4), 4);
        raw[2] = 0x0D;   // float
        Path f = write(dir.resolve("float"), raw);
        assertFails(f, "element type 0x0d", () -> Idx.read(f));
    }

    @Test
    void tooManyDimensionsAreRejected() {
        byte[] raw = idx(labelBytes(4), 4);
        raw[3] = 9;
        Path f = write(dir.resolve("dims"), raw);
        assertFails(f, "declares 9 dimensions", () -> Idx.read(f));
    }

    @Test
    void imageFileWithTheWrongNumberOfDimensionsIsRejected() {
        Path f = write(dir.resolve("labels-as-images"), idx(labelBytes(4), 4));
        assertFails(f, "an image file has 3", () -> Idx.images(f, null));
        Path g = write(dir.resolve("images-as-labels"), idx(imagePixels(2, 2, 2), 2, 2, 2));
        assertFails(g, "a label file has 1", () -> Idx.labels(g, null, 10));
    }

    @Test
    void truncatedDataIsRejectedRawAndGzip() {
        byte[] raw = idx(imagePixels(4, 3, 3), 4, 3, 3);
        byte[] cut = Arrays.copyOf(raw, raw.length - 5);
        Path f = write(dir.resolve("cut"), cut);
        assertFails(f, "announces 36 bytes of data, only 31", () -> Idx.read(f));
        byte[] gz = gzip(raw);
        Path g = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 12));
        assertFails(g, "truncated", () -> Idx.read(g));
    }

    @Test
    void truncatedHeaderIsRejected() {
        Path f = write(dir.resolve("head"), Arrays.copyOf(idx(imagePixels(1, 2, 2), 1, 2, 2), 9));
        assertFails(f, "truncated inside its header", () -> Idx.read(f));
        Path g = write(dir.resolve("empty"), new byte[0]);
        assertFails(g, "too short", () -> Idx.read(g));
    }

    @Test
    void extraBytesAreRejected() {
        byte[] raw = idx(labelBytes(4), 4);
        Path f = write(dir.resolve("long"), Arrays.copyOf(raw, raw.length + 3));
        assertFails(f, "has 3 bytes after the 4", () -> Idx.read(f));
    }

    @Test
    void corruptGzipIsRejected() {
        byte[] gz = gzip(idx(imagePixels(4, 5, 5), 4, 5, 5));
        gz[gz.length / 2] ^= 0x5a;
        gz[gz.length / 2 + 1] ^= 0x33;
        Path f = write(dir.resolve("flip.gz"), gz);
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.read(f, "00"));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void checksumMismatchIsRejected() {
        byte[] raw = idx(labelBytes(4), 4);
        Path f = write(dir.resolve("y.gz"), gzip(raw));
        assertEquals(4, Idx.read(f, IdxFiles.sha256(raw)).data().length);
        assertFails(f, "SHA-256 of its content", () -> Idx.read(f, "ab".repeat(32)));
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("nothing-here");
        assertFails(f, "no such file", () -> Idx.read(f));
    }

    @Test
    void mnistFolderReadsAndChecksCountsAgainstEachOther() {
        Path folder = IdxFiles.writeTinySet(dir.resolve("mnist"));
        Mnist m = Mnist.read(IdxFiles.tinySource(List.of()), folder);
        assertEquals(12, m.train().size());
        assertEquals(12, m.train().X().cols());
        assertEquals(5, m.test().size());
        assertSame(m.train(), m.train());
        assertEquals(m.train().X().rowRange(0, 4), m.first(4, 2).train().X());
        assertEquals(2, m.first(4, 2).test().size());
        assertTrue(m.normalized().train().X().approxEquals(
                m.train().X().plus(-Mnist.MEAN).times(1 / Mnist.STD), 1e-12));
        // a label file of another split: 5 labels for 12 images
        write(folder.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(labelBytes(5), 5)));
        Mnist.Source noChecksums = new Mnist.Source("tiny", "mnist", List.of(),
                IdxFiles.NAMES.stream().map(n -> new Mnist.FileSpec(n, null, null)).toList(),
                Mnist.MNIST.classes(), "the tests");
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.read(noChecksums, folder));
        assertTrue(e.getMessage().contains("holds 12 images but"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 5 labels"), e.getMessage());
    }

    @Test
    void mnistFolderAcceptsUncompressedFilesAndNamesMissingOnes() {
        Path folder = dir.resolve("raw");
        List<byte[]> raw = IdxFiles.tinySet();
        for (int i = 0; i < 3; i++) {
            write(folder.resolve(IdxFiles.NAMES.get(i).replace(".gz", "")), raw.get(i));
        }
        Mnist.Source src = IdxFiles.tinySource(List.of());
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.read(src, folder));
        assertTrue(e.getMessage().contains("lacks [t10k-labels-idx1-ubyte.gz]"), e.getMessage());
        assertTrue(e.getMessage().contains(folder.resolve("t10k-labels-idx1-ubyte.gz").toString()), e.getMessage());
        write(folder.resolve("t10k-labels-idx1-ubyte"), raw.get(3));
        assertEquals(5, Mnist.read(src, folder).test().size());
    }

    @Test
    void fashionMnistGoesThroughTheSameCodeWithItsClassNames() {
        Path folder = IdxFiles.writeTinySet(dir.resolve("fashion-mnist"));
        List<byte[]> raw = IdxFiles.tinySet();
        List<Mnist.FileSpec> files = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {   // Fashion-MNIST is checked by the MD5 of its gzip files
            files.add(new Mnist.FileSpec(IdxFiles.NAMES.get(i), null, IdxFiles.md5(gzip(raw.get(i)))));
        }
        Mnist.Source src = new Mnist.Source("Fashion-MNIST", "fashion-mnist", List.of(), files,
                Mnist.FASHION.classes(), "the tests");
        Mnist f = Mnist.read(src, folder);
        assertEquals("Ankle boot", f.classNames().get(9));
        assertEquals(12, f.train().size());
        write(folder.resolve("t10k-images-idx3-ubyte.gz"), gzip(idx(imagePixels(5, 4, 4), 5, 4, 4)));
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.read(src, folder));
        assertTrue(e.getMessage().contains("its MD5 is"), e.getMessage());
    }
}
