package nnlab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpzEntry;
import org.jetbrains.bio.npy.NpzFile;

/**
 * The digits of the "TP 5" lab (seed 004): 20 x 20 grey-scale handwritten digits as 400 features, 1000 training
 * and 4000 test examples, labels 1..10 where 10 stands for the digit zero. The shapes are the lab's: <b>features in
 * rows, samples in columns</b>, so {@link #XTrain()} is 400 x 1000 and each column is one image flattened
 * <b>column-major</b> (pixel at row r, column c of the image is feature {@code c * 20 + r}, as MATLAB/Octave store
 * it; numpy's {@code X[:, i].reshape(20, 20).T} gives the upright image).
 *
 * <pre>{@code
 * Digits400 d = Digits400.load();      // the lab's npz if you have it, else the equivalent set derived from MNIST
 * Matrix X = d.XTrain();               // 400 x 1000
 * int[] y = d.yTrain();                // 1000 labels in 1..10 (10 = zero)
 * d.source();                          // which data this is: say it next to any result
 * }</pre>
 *
 * <p><b>Where the data comes from</b> ({@link #load()}): the original {@value #FILE_NAME} (keys {@code X_train}
 * 400 x n, {@code y_train} n x 1, {@code X_test}, {@code y_test}) is looked up at {@code $NNLAB_DATA/}{@value
 * #FILE_NAME}, then at {@code data/}{@value #FILE_NAME} under the working directory or one of its parents (the
 * project root, when a notebook runs in {@code notebooks/}). It is not redistributable, so without it nnlab derives
 * an equivalent set from MNIST ({@link #derive(Dataset)}), deterministically, and caches it as
 * {@code data/}{@value #CACHE_NAME} (written atomically, checked against {@link #DERIVED_SHA256} when read back).
 * npz files are read and written through JetBrains' npy library ({@code org.jetbrains.bio:npy}).
 *
 * <p>{@link #train()} and {@link #test()} give the same data in nnlab's usual layout (one sample per row, class
 * index {@code label - 1}) for the library's layers and trainer.
 */
public final class Digits400 {
    /** The lab's file name. */
    public static final String FILE_NAME = "nn_train_test_sets.npz";
    /** The file the derived set is cached in, inside {@code data/}. Bump the version when the derivation changes. */
    public static final String CACHE_NAME = "digits400-derived-v1.npz";
    /** Image side: the images are {@value} x {@value} pixels. */
    public static final int SIDE = 20;
    /** Features per image: {@value}. */
    public static final int FEATURES = SIDE * SIDE;
    /** Number of classes: labels run 1..{@value} (10 = zero). */
    public static final int CLASSES = 10;
    /** Training examples of the lab: {@value}. */
    public static final int TRAIN_SIZE = 1000;
    /** Test examples of the lab: {@value}. */
    public static final int TEST_SIZE = 4000;
    /** MNIST training images taken per digit for the derived set: {@value} (the first ones in file order). */
    public static final int PER_DIGIT = 500;
    /** Seed of the split of the derived set: {@code NumpyRandom(SPLIT_SEED).permutation(5000)}. */
    public static final long SPLIT_SEED = 4;
    /** SHA-256 of {@link #sha256()} for the set derived from the original MNIST training images. */
    public static final String DERIVED_SHA256 = "02d5f4a8a57ca73eb4a61b5d7d3f5aa5d71101305847f752f6b3882b75b51345";

    private static final String[] KEYS = {"X_train", "y_train", "X_test", "y_test"};

    private final Matrix XTrain;
    private final int[] yTrain;
    private final Matrix XTest;
    private final int[] yTest;
    private final String source;
    private final boolean derived;

    /**
     * A set in the lab's layout: X matrices FEATURES x n (one image per column), labels in 1..10.
     *
     * @throws IllegalArgumentException naming the array whose shape or labels are wrong
     */
    public Digits400(Matrix XTrain, int[] yTrain, Matrix XTest, int[] yTest, String source, boolean derived) {
        checkPair("X_train", XTrain, "y_train", yTrain);
        checkPair("X_test", XTest, "y_test", yTest);
        this.XTrain = XTrain;
        this.yTrain = yTrain;
        this.XTest = XTest;
        this.yTest = yTest;
        this.source = source;
        this.derived = derived;
    }

    private static void checkPair(String xName, Matrix x, String yName, int[] y) {
        if (x.rows() != FEATURES) {
            throw new IllegalArgumentException(xName + " is " + x.shapeString() + " but must be " + FEATURES
                    + " x n: features in rows, one image per column");
        }
        if (y.length != x.cols()) {
            throw new IllegalArgumentException(xName + " has " + x.cols() + " samples (columns) but " + yName
                    + " has " + y.length + " labels");
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 1 || y[i] > CLASSES) {
                throw new IllegalArgumentException(yName + "[" + i + "] = " + y[i]
                        + " is outside 1..10 (the lab labels the digit zero as 10)");
            }
        }
    }

    /** Training images, 400 x n (n = 1000 for the lab): one column per image, column-major pixels. */
    public Matrix XTrain() {
        return XTrain;
    }

    /** Training labels, n values in 1..10 (10 = zero). */
    public int[] yTrain() {
        return yTrain;
    }

    /** Test images, 400 x m (m = 4000 for the lab). */
    public Matrix XTest() {
        return XTest;
    }

    /** Test labels, m values in 1..10. */
    public int[] yTest() {
        return yTest;
    }

    /** Where this set came from: the npz path, or "derived from MNIST (...)". */
    public String source() {
        return source;
    }

    /** True when this is the set derived from MNIST rather than the lab's original file. */
    public boolean isDerived() {
        return derived;
    }

    /** The training set in nnlab's layout: X n x 400 (one image per row), y = label - 1 in 0..9 (9 = zero). */
    public Dataset train() {
        return new Dataset(XTrain.transpose(), classIndices(yTrain));
    }

    /** The test set in nnlab's layout: X m x 400, y = label - 1 in 0..9 (9 = zero). */
    public Dataset test() {
        return new Dataset(XTest.transpose(), classIndices(yTest));
    }

    /** The lab's labels 1..10 as class indices 0..9 (label - 1; index 9 is the digit zero). */
    public static int[] classIndices(int[] labels) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i] - 1;
        }
        return out;
    }

    /** The digit a lab label stands for: 10 is zero, the others are themselves. */
    public static int digitOf(int label) {
        return label % 10;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Digits400[X_train %s, X_test %s, %s]", XTrain.shapeString(),
                XTest.shapeString(), source);
    }

    // ---------------------------------------------------------------------------------------------- lookup

    /**
     * The lab's data if it is found ({@code $NNLAB_DATA/nn_train_test_sets.npz}, then {@code data/} under the working
     * directory or a parent), otherwise the set derived from MNIST, from the cache or derived now from
     * {@code Mnist.load()} and cached.
     */
    public static Digits400 load() {
        Path original = findOriginal();
        if (original != null) {
            return readNpz(original);
        }
        // the first 10 000 training images hold at least 863 of each digit: enough, and 1/6 of the memory
        return loadDerived(cacheFile(), () -> Mnist.load().first(10_000, 0).train());
    }

    /**
     * The file {@link #load()} reads here: the lab's original npz if it is found, otherwise the cache of the set
     * derived from MNIST (derived and written now if it is missing or damaged). The Gradescope bundle of a lab that
     * loads these digits ships this file, so the grader reads exactly the data the instructor's machine read.
     *
     * @throws IllegalStateException if the derived set cannot be written to its cache file
     */
    public static Path dataFile() {
        Path original = findOriginal();
        if (original != null) {
            return original;
        }
        Path cache = cacheFile();
        loadDerived(cache, () -> Mnist.load().first(10_000, 0).train());
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("the digits derived from MNIST could not be written to " + cache
                    + " (see the message above): make that folder writable, or put " + FILE_NAME + " into data/");
        }
        return cache;
    }

    /**
     * The lab's npz at an explicit place: the file itself, or a folder holding {@value #FILE_NAME}.
     *
     * @throws IllegalArgumentException if there is no such file, naming the path looked at
     */
    public static Digits400 load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no " + FILE_NAME + " at " + file.toAbsolutePath()
                    + ": pass the npz file or the folder that holds it, or call Digits400.load() to use the set"
                    + " derived from MNIST");
        }
        return readNpz(file);
    }

    /**
     * The derived set from {@code cache} if it is there and intact, else derived from {@code mnistTrain.get()} and
     * written to {@code cache} atomically (a failure to write only costs the cache).
     */
    public static Digits400 loadDerived(Path cache, Supplier<Dataset> mnistTrain) {
        if (Files.isRegularFile(cache)) {
            try {
                Digits400 cached = readNpz(cache);
                if (cached.sha256().equals(DERIVED_SHA256)) {
                    return cached.withSource(derivedSource() + ", cached in " + cache, true);
                }
            } catch (RuntimeException unreadable) {
                // fall through: derive again and replace the cache
            }
        }
        Digits400 d = derive(mnistTrain.get());
        try {
            d.writeNpz(cache);
        } catch (UncheckedIOException e) {
            System.err.println("Digits400: could not cache the derived set at " + cache + " (" + e.getMessage()
                    + "); it will be derived again next time");
        }
        return d;
    }

    private Digits400 withSource(String newSource, boolean isDerived) {
        return new Digits400(XTrain, yTrain, XTest, yTest, newSource, isDerived);
    }

    private static Path findOriginal() {
        String env = System.getenv("NNLAB_DATA");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env).resolve(FILE_NAME);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("data").resolve(FILE_NAME);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * {@code data/}{@value #CACHE_NAME} in the working directory or the nearest folder above it that has a
     * {@code data} folder (the project root, when a notebook runs in {@code notebooks/}), as {@link Mnist} looks.
     */
    static Path cacheFile() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("data"))) {
                return dir.resolve("data").resolve(CACHE_NAME);
            }
        }
        return here.resolve("data").resolve(CACHE_NAME);
    }

    // ---------------------------------------------------------------------------------------------- npz

    /**
     * Reads a set in the lab's npz layout (keys X_train 400 x n, y_train n x 1 or n, X_test 400 x m, y_test m x 1 or
     * m; any numeric dtype; labels must be whole numbers in 1..10).
     *
     * @throws IllegalArgumentException naming the key, shape or label that is wrong
     * @throws UncheckedIOException if the file cannot be read as an npz
     */
    public static Digits400 readNpz(Path file) {
        try (NpzFile.Reader reader = NpzFile.read(file)) {
            List<String> present = new ArrayList<>();
            for (NpzEntry e : reader.introspect()) {
                present.add(e.getName());
            }
            for (String key : KEYS) {
                if (!present.contains(key)) {
                    throw new IllegalArgumentException(file.getFileName() + ": key '" + key + "' is missing (the"
                            + " file has " + present + "; the lab's file has " + List.of(KEYS) + ")");
                }
            }
            Matrix xTrain = images(file, "X_train", array(reader, file, "X_train"));
            Matrix xTest = images(file, "X_test", array(reader, file, "X_test"));
            int[] yTr = labels(file, "y_train", array(reader, file, "y_train"), xTrain.cols());
            int[] yTe = labels(file, "y_test", array(reader, file, "y_test"), xTest.cols());
            return new Digits400(xTrain, yTr, xTest, yTe, file.toString(), false);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            // the Kotlin library throws IOExceptions (a missing file, not a zip) without declaring them
            throw new UncheckedIOException("cannot read " + file + " as an npz file: " + e,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static NpyArray array(NpzFile.Reader reader, Path file, String key) {
        try {
            return reader.get(key, Integer.MAX_VALUE);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // e.g. Fortran-ordered arrays, which the npy library does not read
            throw new IllegalArgumentException(file.getFileName() + ": cannot read key '" + key + "': "
                    + e.getMessage() + " (re-save it from numpy with np.ascontiguousarray(" + key + "))", e);
        }
    }

    private static Matrix images(Path file, String key, NpyArray a) {
        int[] shape = a.getShape();
        if (shape.length != 2 || shape[0] != FEATURES) {
            throw new IllegalArgumentException(file.getFileName() + ": '" + key + "' has shape " + shape(shape)
                    + " but the lab's layout is (" + FEATURES + ", n): 400 features in rows, one sample per column"
                    + (shape.length == 2 && shape[1] == FEATURES ? " (this looks transposed: save " + key + ".T)" : ""));
        }
        double[] values = asDoubles(a.getData(), file, key);
        return Matrix.wrap(shape[0], shape[1], values);
    }

    private static int[] labels(Path file, String key, NpyArray a, int n) {
        int[] shape = a.getShape();
        boolean ok = (shape.length == 1 && shape[0] == n) || (shape.length == 2 && shape[0] == n && shape[1] == 1);
        if (!ok) {
            throw new IllegalArgumentException(file.getFileName() + ": '" + key + "' has shape " + shape(shape)
                    + " but its images need (" + n + ", 1): one label per sample");
        }
        double[] values = asDoubles(a.getData(), file, key);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double v = values[i];
            if (!(v >= 1 && v <= CLASSES && v == Math.rint(v))) {
                throw new IllegalArgumentException(file.getFileName() + ": '" + key + "'[" + i + "] = "
                        + (v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v))
                        + " is outside 1..10 (the lab labels the digit zero as 10)");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private static double[] asDoubles(Object data, Path file, String key) {
        if (data instanceof double[] d) {
            return d;
        }
        double[] out;
        if (data instanceof float[] f) {
            out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
        } else if (data instanceof long[] l) {
            out = new double[l.length];
            for (int i = 0; i < l.length; i++) {
                out[i] = l[i];
            }
        } else if (data instanceof int[] v) {
            out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i];
            }
        } else if (data instanceof short[] s) {
            out = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = s[i];
            }
        } else if (data instanceof byte[] b) {
            // numpy's uint8 and int8 both arrive as bytes; lab data (labels 1..10, pixels 0..255) read as unsigned
            out = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                out[i] = b[i] & 0xff;
            }
        } else {
            throw new IllegalArgumentException(file.getFileName() + ": '" + key + "' holds "
                    + (data == null ? "nothing" : data.getClass().getSimpleName()) + ", not numbers");
        }
        return out;
    }

    private static String shape(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Writes this set as an npz in the lab's layout (X as float64 400 x n, y as int32 n x 1), atomically: a
     * temporary file in the same folder is renamed onto {@code file}, so a reader never sees half a file.
     */
    public void writeNpz(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.delete(tmp); // the npy library creates the file itself
                try (NpzFile.Writer w = NpzFile.write(tmp, true)) {
                    w.write("X_train", XTrain.data(), new int[] {XTrain.rows(), XTrain.cols()});
                    w.write("y_train", yTrain, new int[] {yTrain.length, 1});
                    w.write("X_test", XTest.data(), new int[] {XTest.rows(), XTest.cols()});
                    w.write("y_test", yTest, new int[] {yTest.length, 1});
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- checksum

    /**
     * SHA-256 (hex) of the content: for X_train, y_train, X_test, y_test in turn, the shape as big-endian ints, then
     * the values (X as big-endian IEEE doubles in row-major order of the 400 x n matrix, y as big-endian ints).
     * Independent of how the set was stored.
     */
    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            digest(md, XTrain);
            digest(md, yTrain);
            digest(md, XTest);
            digest(md, yTest);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static void digest(MessageDigest md, Matrix m) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * m.size());
        b.putInt(m.rows()).putInt(m.cols());
        for (double v : m.data()) {
            b.putDouble(v);
        }
        md.update(b.array());
    }

    private static void digest(MessageDigest md, int[] y) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * y.length);
        b.putInt(y.length).putInt(1);
        for (int v : y) {
            b.putInt(v);
        }
        md.update(b.array());
    }

    // ---------------------------------------------------------------------------------------------- derivation

    private static String derivedSource() {
        return "derived from MNIST (first " + PER_DIGIT + " training images of each digit, ink box cropped, padded"
                + " square, area-resampled to 20x20, split with seed " + SPLIT_SEED + ")";
    }

    /**
     * The equivalent set derived from MNIST training images ({@code mnistTrain}: X N x 784 in [0, 1], row-major 28 x
     * 28, labels 0..9, as {@code Mnist.load().train()} gives), deterministically:
     * <ol>
     * <li>take the first {@value #PER_DIGIT} images of each digit in file order, ordered by lab label 1, 2, ..., 9,
     * 10 (zero);</li>
     * <li>per image ({@link #to20x20}): crop the bounding box of the ink (pixels &gt; 0), pad it with background to a
     * centred square, resample the square to 20 x 20 by area averaging, divide by the image's maximum (so it spans
     * [0, 1]) and flatten column-major;</li>
     * <li>label digit d as d, and zero as 10;</li>
     * <li>split with {@code NumpyRandom(SPLIT_SEED).permutation(5000)}: the first 1000 positions train, the other
     * 4000 test.</li>
     * </ol>
     *
     * @throws IllegalArgumentException if the images are not 784 wide or a digit has fewer than 500 images
     */
    public static Digits400 derive(Dataset mnistTrain) {
        return derive(mnistTrain, PER_DIGIT, TRAIN_SIZE, SPLIT_SEED);
    }

    /**
     * {@link #derive(Dataset)} with another number of images per digit and training size (the test set gets the
     * rest): small versions for tests.
     */
    public static Digits400 derive(Dataset source, int perDigit, int trainSize, long seed) {
        if (source.X().cols() != 28 * 28) {
            throw new IllegalArgumentException("derive: source images have " + source.X().cols()
                    + " pixels, expected 784 (28 x 28 MNIST, one image per row)");
        }
        int total = perDigit * CLASSES;
        if (trainSize < 1 || trainSize >= total) {
            throw new IllegalArgumentException("derive: trainSize " + trainSize + " must be in 1.." + (total - 1));
        }
        int[] picked = new int[total];
        int[] labels = new int[total];
        int k = 0;
        for (int label = 1; label <= CLASSES; label++) {
            int digit = digitOf(label);
            int found = 0;
            for (int i = 0; i < source.size() && found < perDigit; i++) {
                if (source.y()[i] == digit) {
                    picked[k] = i;
                    labels[k] = label;
                    k++;
                    found++;
                }
            }
            if (found < perDigit) {
                throw new IllegalArgumentException("derive: only " + found + " images of digit " + digit
                        + " in the source, need " + perDigit);
            }
        }
        int[] order = new NumpyRandom(seed).permutation(total);
        Matrix xTrain = new Matrix(FEATURES, trainSize);
        Matrix xTest = new Matrix(FEATURES, total - trainSize);
        int[] yTr = new int[trainSize];
        int[] yTe = new int[total - trainSize];
        double[] src = source.X().data();
        for (int p = 0; p < total; p++) {
            int s = order[p];
            double[] img = to20x20(src, picked[s] * 784);
            boolean train = p < trainSize;
            Matrix dst = train ? xTrain : xTest;
            int col = train ? p : p - trainSize;
            for (int f = 0; f < FEATURES; f++) {
                dst.set(f, col, img[f]);
            }
            if (train) {
                yTr[col] = labels[s];
            } else {
                yTe[col] = labels[s];
            }
        }
        return new Digits400(xTrain, yTr, xTest, yTe, derivedSource(), true);
    }

    /**
     * One 28 x 28 row-major image (784 values from {@code offset}) as the lab's 400 column-major features: ink box
     * cropped, padded to a centred square, area-resampled to 20 x 20, divided by its maximum. A blank image stays
     * blank.
     */
    public static double[] to20x20(double[] image, int offset) {
        int top = 28;
        int bottom = -1;
        int left = 28;
        int right = -1;
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                if (image[offset + r * 28 + c] > 0) {
                    top = Math.min(top, r);
                    bottom = Math.max(bottom, r);
                    left = Math.min(left, c);
                    right = Math.max(right, c);
                }
            }
        }
        double[] out = new double[FEATURES];
        if (bottom < 0) {
            return out;
        }
        int h = bottom - top + 1;
        int w = right - left + 1;
        int side = Math.max(h, w);
        double[] square = new double[side * side];
        int dr = (side - h) / 2;
        int dc = (side - w) / 2;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                square[(r + dr) * side + c + dc] = image[offset + (top + r) * 28 + left + c];
            }
        }
        double[][] weights = areaWeights(side, SIDE);
        double max = 0;
        double[] resampled = new double[FEATURES];
        for (int i = 0; i < SIDE; i++) {
            for (int j = 0; j < SIDE; j++) {
                double v = 0;
                for (int r = 0; r < side; r++) {
                    double wr = weights[i][r];
                    if (wr == 0) {
                        continue;
                    }
                    for (int c = 0; c < side; c++) {
                        v += wr * weights[j][c] * square[r * side + c];
                    }
                }
                resampled[i * SIDE + j] = v;
                max = Math.max(max, v);
            }
        }
        for (int i = 0; i < SIDE; i++) {
            for (int j = 0; j < SIDE; j++) {
                out[j * SIDE + i] = resampled[i * SIDE + j] / max; // column-major
            }
        }
        return out;
    }

    /**
     * Weights of area resampling from n to m pixels along one axis: output pixel i covers [i n/m, (i+1) n/m) of the
     * input, and weight [i][k] is the overlap of that interval with input pixel [k, k+1) divided by its length n/m,
     * so each output is the mean of the input over its area (every row of weights sums to 1).
     */
    static double[][] areaWeights(int n, int m) {
        double[][] w = new double[m][n];
        double step = (double) n / m;
        for (int i = 0; i < m; i++) {
            double a = i * step;
            double b = (i + 1) * step;
            for (int k = (int) Math.floor(a); k < n && k < b; k++) {
                double overlap = Math.min(b, k + 1) - Math.max(a, k);
                if (overlap > 0) {
                    w[i][k] = overlap / step;
                }
            }
        }
        return w;
    }
}
