package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import org.jetbrains.bio.npy.NpzFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's npz reader (on small npz files written here through the same library) and the MNIST derivation. */
class Digits400Test {
    @TempDir
    Path dir;

    /** A small set in the lab's layout: 400 x n images with random pixels, labels cycling 1..10. */
    private static Digits400 small(int nTrain, int nTest) {
        NumpyRandom rng = new NumpyRandom(3);
        int[] yTr = new int[nTrain];
        int[] yTe = new int[nTest];
        for (int i = 0; i < nTrain; i++) {
            yTr[i] = 1 + i % 10;
        }
        for (int i = 0; i < nTest; i++) {
            yTe[i] = 10 - i % 10;
        }
        return new Digits400(rng.rand(400, nTrain), yTr, rng.rand(400, nTest), yTe, "test", false);
    }

    @Test
    void npzRoundTripThroughTheLibrary() {
        Digits400 d = small(12, 7);
        Path f = dir.resolve(Digits400.FILE_NAME);
        d.writeNpz(f);
        Digits400 back = Digits400.load(dir);
        assertEquals(d.XTrain(), back.XTrain());
        assertEquals(d.XTest(), back.XTest());
        assertArrayEquals(d.yTrain(), back.yTrain());
        assertArrayEquals(d.yTest(), back.yTest());
        assertEquals(d.sha256(), back.sha256());
        assertFalse(back.isDerived());
        assertEquals(f.toString(), back.source());
        try (var files = java.util.stream.Stream.of(dir.toFile().list())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void readsTheDtypesNumpyWouldWrite() throws Exception {
        // float32 images and uint8 labels of shape (n,), as a scipy/MATLAB export may give
        Path f = dir.resolve("other.npz");
        float[] x = new float[400 * 3];
        x[5] = 0.5f;
        try (NpzFile.Writer w = NpzFile.write(f, false)) {
            w.write("X_train", x, new int[] {400, 3});
            w.write("y_train", new byte[] {10, 1, 2}, new int[] {3});
            w.write("X_test", new double[400 * 2], new int[] {400, 2});
            w.write("y_test", new long[] {3, 4}, new int[] {2, 1});
        }
        Digits400 d = Digits400.readNpz(f);
        assertEquals(0.5, d.XTrain().get(1, 2), "float32 values, row-major (400 x 3)");
        assertArrayEquals(new int[] {10, 1, 2}, d.yTrain());
        assertArrayEquals(new int[] {3, 4}, d.yTest());
        assertArrayEquals(new int[] {9, 0, 1}, d.train().y(), "class index = label - 1");
        assertEquals(3, d.train().X().rows());
        assertEquals(400, d.train().X().cols());
    }

    private Path npz(String name, Matrix xTrain, int[] yTrainShape, double[] yTrain, boolean withXTest) throws Exception {
        Path f = dir.resolve(name);
        try (NpzFile.Writer w = NpzFile.write(f, false)) {
            w.write("X_train", xTrain.data(), new int[] {xTrain.rows(), xTrain.cols()});
            w.write("y_train", yTrain, yTrainShape);
            if (withXTest) {
                w.write("X_test", new double[400], new int[] {400, 1});
            }
            w.write("y_test", new int[] {1}, new int[] {1, 1});
        }
        return f;
    }

    @Test
    void badFilesGetOneMessageNamingTheKeyOrShape() throws Exception {
        Path missing = npz("missing.npz", new Matrix(400, 2), new int[] {2, 1}, new double[] {1, 2}, false);
        String m = assertThrows(IllegalArgumentException.class, () -> Digits400.readNpz(missing)).getMessage();
        assertTrue(m.contains("key 'X_test' is missing"), m);

        Path transposed = npz("t.npz", new Matrix(2, 400), new int[] {2, 1}, new double[] {1, 2}, true);
        m = assertThrows(IllegalArgumentException.class, () -> Digits400.readNpz(transposed)).getMessage();
        assertTrue(m.contains("'X_train' has shape (2, 400)") && m.contains("transposed"), m);

        Path wrongY = npz("y.npz", new Matrix(400, 2), new int[] {3, 1}, new double[] {1, 2, 3}, true);
        m = assertThrows(IllegalArgumentException.class, () -> Digits400.readNpz(wrongY)).getMessage();
        assertTrue(m.contains("'y_train' has shape (3, 1)") && m.contains("(2, 1)"), m);

        Path zero = npz("z.npz", new Matrix(400, 2), new int[] {2}, new double[] {3, 0}, true);
        m = assertThrows(IllegalArgumentException.class, () -> Digits400.readNpz(zero)).getMessage();
        assertTrue(m.contains("'y_train'[1] = 0 is outside 1..10"), m);

        Path half = npz("h.npz", new Matrix(400, 2), new int[] {2}, new double[] {3, 2.5}, true);
        m = assertThrows(IllegalArgumentException.class, () -> Digits400.readNpz(half)).getMessage();
        assertTrue(m.contains("'y_train'[1] = 2.5 is outside 1..10"), m);

        m = assertThrows(IllegalArgumentException.class, () -> Digits400.load(dir.resolve("nowhere"))).getMessage();
        assertTrue(m.contains("no " + Digits400.FILE_NAME + " at"), m);
    }

    @Test
    void constructorChecksTheLabShapes() {
        String m = assertThrows(IllegalArgumentException.class, () -> new Digits400(new Matrix(400, 3),
                new int[] {1, 2}, new Matrix(400, 1), new int[] {1}, "x", false)).getMessage();
        assertTrue(m.contains("X_train") && m.contains("y_train"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new Digits400(new Matrix(400, 1),
                new int[] {11}, new Matrix(400, 1), new int[] {1}, "x", false)).getMessage();
        assertTrue(m.contains("y_train[0] = 11 is outside 1..10"), m);
    }

    // ------------------------------------------------------------------------------------------ derivation

    /** A 28 x 28 image (row-major) with a filled rectangle of ink. */
    private static double[] rectangle(int top, int left, int h, int w, double ink) {
        double[] img = new double[784];
        for (int r = top; r < top + h; r++) {
            for (int c = left; c < left + w; c++) {
                img[r * 28 + c] = ink;
            }
        }
        return img;
    }

    @Test
    void areaWeightsAverageOverEachOutputPixel() {
        double[][] w = Digits400.areaWeights(25, 20);
        for (double[] row : w) {
            double s = 0;
            for (double v : row) {
                s += v;
            }
            assertEquals(1, s, 1e-12);
        }
        assertEquals(0.8, w[0][0], 1e-12);
        assertEquals(0.2, w[0][1], 1e-12);
        assertEquals(1, Digits400.areaWeights(20, 20)[7][7], 0);
    }

    @Test
    void cropPadResampleAndColumnMajorFlattening() {
        // a 20 x 10 bar anywhere in the frame: cropped, padded to 20 x 20 centred, needs no resampling
        double[] bar = rectangle(3, 11, 20, 10, 0.5);
        double[] out = Digits400.to20x20(bar, 0);
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 20; c++) {
                double expected = c >= 5 && c < 15 ? 1 : 0; // centred, scaled so the maximum is 1
                assertEquals(expected, out[c * 20 + r], 1e-12, "pixel (" + r + "," + c + ") at feature c*20+r");
            }
        }
        // a single ink pixel at the top-left of a 10 x 10 box: the box is upsampled to 20 x 20 by area
        double[] dot = rectangle(5, 5, 1, 1, 1.0);
        dot[14 * 28 + 14] = 1.0;
        out = Digits400.to20x20(dot, 0);
        assertEquals(1, out[0], 0);
        assertEquals(1, out[1], 0, "row 1, column 0 (feature 1) is still the first source pixel");
        assertEquals(0, out[2], 0);
        assertEquals(1, out[19 * 20 + 19], 0);
        double max = 0;
        double min = 1;
        for (double v : out) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        assertEquals(1, max);
        assertEquals(0, min);
        assertArrayEquals(new double[400], Digits400.to20x20(new double[784], 0), "a blank image stays blank");
    }

    /** A fake MNIST: 30 images of each digit d, each a bar 10 + d tall, 10 wide, at varying places; shuffled. */
    private static Dataset fakeMnist() {
        int n = 300;
        Matrix x = new Matrix(n, 784);
        int[] y = new int[n];
        int[] order = new NumpyRandom(1).permutation(n);
        for (int i = 0; i < n; i++) {
            int digit = order[i] % 10;
            y[i] = digit;
            double[] img = rectangle(2 + i % 5, 4 + i % 3, 10 + digit, 10, 1.0);
            System.arraycopy(img, 0, x.data(), i * 784, 784);
        }
        return new Dataset(x, y);
    }

    @Test
    void derivationIsDeterministicLabelsZeroAsTenAndSplitsBySeed() {
        Dataset mnist = fakeMnist();
        Digits400 a = Digits400.derive(mnist, 20, 50, 4);
        Digits400 b = Digits400.derive(mnist, 20, 50, 4);
        assertEquals(a.sha256(), b.sha256());
        assertEquals(a.XTrain(), b.XTrain());
        assertEquals(400, a.XTrain().rows());
        assertEquals(50, a.XTrain().cols());
        assertEquals(150, a.XTest().cols());
        assertTrue(a.isDerived());
        int[] count = new int[11];
        for (int v : a.yTrain()) {
            count[v]++;
        }
        for (int v : a.yTest()) {
            count[v]++;
        }
        for (int label = 1; label <= 10; label++) {
            assertEquals(20, count[label], "20 images of label " + label);
        }
        assertEquals(0, count[0], "no label 0: zero is 10");
        // every image's pixels lie in [0, 1] and reach 1
        for (int j = 0; j < a.XTrain().cols(); j++) {
            assertEquals(1, a.XTrain().col(j).max(), 1e-12);
            assertTrue(a.XTrain().col(j).min() >= 0);
        }
        // the label of a sample matches the image it was made from: digit d's bar is 10 + d tall and 10 wide, so
        // in the square 20 x 20 frame its ink is about 200 / (10 + d) columns wide
        for (int j = 0; j < a.XTrain().cols(); j++) {
            int digit = Digits400.digitOf(a.yTrain()[j]);
            int inked = 0;
            for (int c = 0; c < 20; c++) {
                inked += a.XTrain().get(c * 20 + 10, j) > 0.5 ? 1 : 0;
            }
            assertEquals(200.0 / (10 + digit), inked, 1.0, "sample " + j + " labelled " + a.yTrain()[j]);
        }
        assertNotEquals(a.sha256(), Digits400.derive(mnist, 20, 50, 5).sha256(), "another seed, another split");
        String m = assertThrows(IllegalArgumentException.class, () -> Digits400.derive(mnist, 31, 50, 4))
                .getMessage();
        assertTrue(m.contains("only 30 images of digit"), m);
    }

    @Test
    void derivedSetIsCachedAtomicallyAndReadBack() {
        Path cache = dir.resolve("data").resolve(Digits400.CACHE_NAME);
        AtomicInteger derivations = new AtomicInteger();
        Dataset mnist = fakeMnist();
        // the small fake set's checksum differs from the pinned one, so every load derives again and rewrites
        Digits400 first = Digits400.loadDerived(cache, () -> {
            derivations.incrementAndGet();
            return bigEnough(mnist);
        });
        assertTrue(Files.isRegularFile(cache));
        assertEquals(1, derivations.get());
        Digits400 reread = Digits400.readNpz(cache);
        assertEquals(first.sha256(), reread.sha256());
        assertEquals(1000, first.XTrain().cols());
        assertEquals(4000, first.XTest().cols());
    }

    /** The fake MNIST repeated until each digit has 500 images. */
    private static Dataset bigEnough(Dataset d) {
        int copies = 17;
        Matrix x = new Matrix(d.size() * copies, 784);
        int[] y = new int[d.size() * copies];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(d.X().data(), 0, x.data(), c * d.X().size(), d.X().size());
            System.arraycopy(d.y(), 0, y, c * d.size(), d.size());
        }
        return new Dataset(x, y);
    }

    /** SHA-256 of the set derived from the original MNIST: it must never change silently. */
    private static final String PINNED = "02d5f4a8a57ca73eb4a61b5d7d3f5aa5d71101305847f752f6b3882b75b51345";

    @Test
    void setDerivedFromTheRealMnistHasThePinnedChecksum() {
        String data = System.getenv("NNLAB_DATA");
        Assumptions.assumeTrue(data != null && !data.isBlank(), "NNLAB_DATA is not set, so the checksum of the set"
                + " derived from the real MNIST is not checked (CI sets NNLAB_DATA to ../shared/data)");
        Mnist mnist = Mnist.load(Path.of(data).resolve("mnist"));
        AtomicInteger derivations = new AtomicInteger();
        Path cache = dir.resolve("data").resolve(Digits400.CACHE_NAME);
        Digits400 d = Digits400.loadDerived(cache, () -> {
            derivations.incrementAndGet();
            return mnist.first(10_000, 0).train();
        });
        assertEquals(PINNED, d.sha256(), "the derived set changed: if that is intended, bump CACHE_NAME's version,"
                + " update DERIVED_SHA256, this test and data/README.md");
        assertEquals(Digits400.DERIVED_SHA256, PINNED);
        assertEquals(400, d.XTrain().rows());
        assertEquals(1000, d.XTrain().cols());
        assertEquals(4000, d.XTest().cols());
        assertTrue(d.isDerived());
        // read back from the cache without deriving again
        Digits400 cached = Digits400.loadDerived(cache, () -> {
            derivations.incrementAndGet();
            return mnist.first(10_000, 0).train();
        });
        assertEquals(1, derivations.get(), "the second load reads the cache");
        assertEquals(PINNED, cached.sha256());
        assertTrue(cached.source().contains("cached in"), cached.source());
    }
}
