package nnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * MNIST (or Fashion-MNIST): 60 000 training and 10 000 test images of 28x28 pixels with labels 0..9, read from the
 * four original IDX files (gzip or raw).
 *
 * <pre>{@code
 * Mnist mnist = Mnist.load();                    // NNLAB_DATA/mnist, else data/mnist, else a checksummed download
 * Dataset train = mnist.train();                 // X: 60000x784, pixels in [0, 1], one row-major image per row
 * Dataset test = mnist.test();                   // X: 10000x784, y: labels 0..9
 * Mnist small = mnist.first(10_000, 2_000);      // a view: the first images of each split, nothing converted yet
 * Dataset z = mnist.normalized().train();        // (pixel - 0.1307) / 0.3081, built directly from the bytes
 * }</pre>
 *
 * <p>Where the files are looked for, in this order: the folder passed to {@link #load(Path)}; {@code <NNLAB_DATA>/mnist}
 * if the environment variable {@code NNLAB_DATA} is set; {@code data/mnist} in the working directory or the nearest
 * folder above it that has a {@code data} folder (the project root, when a notebook runs in {@code notebooks/}); and
 * finally a download from the mirrors into {@code <NNLAB_DATA>/mnist}, or else the project's {@code data/mnist}. Every
 * file is checked against the checksum in this class (SHA-256 of the decompressed content, which also holds for
 * re-compressed copies; for a downloaded gzip also the MD5 its mirrors publish) and against its own IDX header.
 *
 * <p>Memory: the pixels are kept as bytes (55 MB for both splits); {@link #train()} and {@link #test()} convert them to
 * doubles once (376 MB for the training set) and return the same {@link Dataset} on every call, so treat its matrix as
 * read-only. Views made with {@link #first} and {@link #normalized} share the bytes and convert only what they hold.
 */
public final class Mnist {
    /** The mean pixel value of MNIST's training images after scaling to [0, 1] (as torchvision's examples use). */
    public static final double MEAN = 0.1307;
    /** The standard deviation of MNIST's training pixels after scaling to [0, 1]. */
    public static final double STD = 0.3081;
    /** The environment variable naming a folder that holds {@code mnist/} (and {@code fashion-mnist/}). */
    public static final String DATA_VARIABLE = "NNLAB_DATA";

    /** One of the four files: its name (as the mirrors publish it, gzip) and checksums. */
    record FileSpec(String name, String sha256, String gzMd5) {
        /** The name without {@code .gz}, as the file is called after decompression. */
        String rawName() {
            return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        }
    }

    /** A data set in the MNIST layout: folder name, mirrors, the four files (train images, train labels, test ...). */
    record Source(String title, String folder, List<String> mirrors, List<FileSpec> files, List<String> classes,
                  String origin) {
        FileSpec trainImages() {
            return files.get(0);
        }

        FileSpec trainLabels() {
            return files.get(1);
        }

        FileSpec testImages() {
            return files.get(2);
        }

        FileSpec testLabels() {
            return files.get(3);
        }
    }

    static final Source MNIST = new Source("MNIST", "mnist",
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/",
                    "http://yann.lecun.com/exdb/mnist/"),
            List.of(new FileSpec("train-images-idx3-ubyte.gz",
                            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                            "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                    new FileSpec("train-labels-idx1-ubyte.gz",
                            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                            "d53e105ee54ea40749a09fcbcd1e9432"),
                    new FileSpec("t10k-images-idx3-ubyte.gz",
                            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                            "9fb629c4189551a2d022fa330f9573f3"),
                    new FileSpec("t10k-labels-idx1-ubyte.gz",
                            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
                            "ec29112dd5afa0611ce80d1b7f02629c")),
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            "http://yann.lecun.com/exdb/mnist/ (Y. LeCun, C. Cortes, C. Burges)");

    /** Fashion-MNIST's files are checked by the MD5 of their gzip files (as published by Zalando Research). */
    static final Source FASHION = new Source("Fashion-MNIST", "fashion-mnist",
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            List.of(new FileSpec("train-images-idx3-ubyte.gz", null, "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                    new FileSpec("train-labels-idx1-ubyte.gz", null, "25c81989df183df01b3e8a0aad5dffbe"),
                    new FileSpec("t10k-images-idx3-ubyte.gz", null, "bef4ecab320f06d8554ea6380940ec79"),
                    new FileSpec("t10k-labels-idx1-ubyte.gz", null, "bb300cfdad3c16e7a12a480ee83cd310")),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"),
            "https://github.com/zalandoresearch/fashion-mnist (Zalando Research, MIT licence)");

    private final Source source;
    private final Path folder;
    private final ImageBytes trainImages;
    private final int[] trainLabels;
    private final ImageBytes testImages;
    private final int[] testLabels;
    private final double mean;
    private final double std;
    private Dataset train;
    private Dataset test;

    private Mnist(Source source, Path folder, ImageBytes trainImages, int[] trainLabels, ImageBytes testImages,
                  int[] testLabels, double mean, double std) {
        this.source = source;
        this.folder = folder;
        this.trainImages = trainImages;
        this.trainLabels = trainLabels;
        this.testImages = testImages;
        this.testLabels = testLabels;
        this.mean = mean;
        this.std = std;
    }

    // ---------------------------------------------------------------- loading

    /** MNIST from the first place that has it (see the class comment), downloading it if no place has. */
    public static Mnist load() {
        return locate(MNIST, System.getenv(), Path.of("").toAbsolutePath(), Download.standard());
    }

    /** MNIST from this folder, which must hold the four files (gzip or raw); nothing is downloaded. */
    public static Mnist load(Path folder) {
        return read(MNIST, folder);
    }

    /** Fashion-MNIST, looked up like {@link #load()} but in folders named {@code fashion-mnist}. */
    public static Mnist fashion() {
        return locate(FASHION, System.getenv(), Path.of("").toAbsolutePath(), Download.standard());
    }

    /** Fashion-MNIST from this folder (the four files under their original names). */
    public static Mnist fashion(Path folder) {
        return read(FASHION, folder);
    }

    /** The lookup, with the environment, working directory and downloader passed in (tests use their own). */
    static Mnist locate(Source source, Map<String, String> env, Path cwd, Download download) {
        List<Path> candidates = new ArrayList<>();
        String data = env.get(DATA_VARIABLE);
        if (data != null && !data.isBlank()) {
            candidates.add(Path.of(data).resolve(source.folder()));
        }
        Path project = projectRoot(cwd);
        candidates.add(cwd.resolve("data").resolve(source.folder()));
        if (project != null && !project.equals(cwd)) {
            candidates.add(project.resolve("data").resolve(source.folder()));
        }
        for (Path c : candidates) {
            if (missing(source, c).isEmpty()) {
                return read(source, c);
            }
        }
        Path target = data != null && !data.isBlank() ? candidates.get(0)
                : (project != null ? project : cwd).resolve("data").resolve(source.folder());
        List<FileSpec> todo = missing(source, target);
        if (download.out() != null) {
            download.out().println(source.title() + " is not in " + candidates + "; downloading " + todo.size()
                    + " file(s) into " + target);
        }
        for (FileSpec f : todo) {
            List<URI> urls = source.mirrors().stream().map(m -> URI.create(m + f.name())).toList();
            try {
                download.fetch(urls, target.resolve(f.name()), file -> verifyDownload(f, file));
            } catch (Download.FailedException e) {
                throw new DataFileException(target, e.getMessage() + "\n" + offlineAdvice(source, target,
                        missing(source, target)), e);
            }
        }
        return read(source, target);
    }

    /** The nearest folder at or above cwd that has a {@code data} folder, or null. */
    private static Path projectRoot(Path cwd) {
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data"))) {
                return p;
            }
        }
        return null;
    }

    /** The files of the source that are in the folder under neither their gzip nor their raw name. */
    private static List<FileSpec> missing(Source source, Path folder) {
        return source.files().stream().filter(f -> find(folder, f) == null).toList();
    }

    private static Path find(Path folder, FileSpec f) {
        for (String name : List.of(f.name(), f.rawName())) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static String offlineAdvice(Source source, Path target, List<FileSpec> missing) {
        StringBuilder sb = new StringBuilder("Offline, or the mirrors are down? Put these files into " + target
                + " (gzip or uncompressed, the originals from " + source.origin() + "):");
        for (FileSpec f : missing) {
            sb.append("\n  ").append(target.resolve(f.name()));
        }
        sb.append("\nor set " + DATA_VARIABLE + " to a folder that has a subfolder " + source.folder()
                + "/ with them, or pass their folder to load(Path).");
        return sb.toString();
    }

    /** Checks a downloaded file: the MD5 of the published gzip, or else the SHA-256 of its decompressed content. */
    static void verifyDownload(FileSpec f, Path file) {
        String md5 = f.gzMd5() == null ? null : digest(file, "MD5", false);
        if (md5 != null && md5.equalsIgnoreCase(f.gzMd5())) {
            return;
        }
        String sha = f.sha256() == null ? null : digest(file, "SHA-256", true);
        if (sha != null && sha.equalsIgnoreCase(f.sha256())) {
            return;
        }
        throw new DataFileException(file, file + ": checksum mismatch for " + f.name() + " (MD5 " + md5
                + (sha == null ? "" : ", SHA-256 of the content " + sha) + "; expected MD5 " + f.gzMd5()
                + (f.sha256() == null ? "" : " or content SHA-256 " + f.sha256()) + ")");
    }

    private static String digest(Path file, String algorithm, boolean decompressed) {
        try (InputStream in = decompressed ? Idx.open(file) : Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new DataFileException(file, file + " cannot be read as " + (decompressed ? "gzip or raw IDX" : "a file")
                    + ": " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the four files of a folder and checks them against each other. */
    static Mnist read(Source source, Path folder) {
        Objects.requireNonNull(folder, "folder");
        if (!Files.isDirectory(folder)) {
            throw new DataFileException(folder, source.title() + ": " + folder + " is not a folder. "
                    + offlineAdvice(source, folder, source.files()));
        }
        List<FileSpec> missing = missing(source, folder);
        if (!missing.isEmpty()) {
            throw new DataFileException(folder, source.title() + ": " + folder + " lacks "
                    + missing.stream().map(FileSpec::name).toList() + ". " + offlineAdvice(source, folder, missing));
        }
        int classes = source.classes().size();
        ImageBytes trX = images(find(folder, source.trainImages()), source.trainImages());
        int[] trY = labels(find(folder, source.trainLabels()), source.trainLabels(), classes);
        ImageBytes teX = images(find(folder, source.testImages()), source.testImages());
        int[] teY = labels(find(folder, source.testLabels()), source.testLabels(), classes);
        sameCount(find(folder, source.trainImages()), trX, find(folder, source.trainLabels()), trY);
        sameCount(find(folder, source.testImages()), teX, find(folder, source.testLabels()), teY);
        if (trX.height() != teX.height() || trX.width() != teX.width()) {
            throw new DataFileException(folder, folder + ": the training images are " + trX.height() + "x"
                    + trX.width() + " but the test images " + teX.height() + "x" + teX.width()
                    + "; the files come from different data sets.");
        }
        return new Mnist(source, folder, trX, trY, teX, teY, 0, 1);
    }

    private static ImageBytes images(Path file, FileSpec f) {
        checkGzMd5(file, f);
        return Idx.images(file, f.sha256());
    }

    private static int[] labels(Path file, FileSpec f, int classes) {
        checkGzMd5(file, f);
        return Idx.labels(file, f.sha256(), classes);
    }

    /** Without a content checksum, a gzip file is checked against its published MD5 (a raw file only by structure). */
    private static void checkGzMd5(Path file, FileSpec f) {
        if (f.sha256() != null || f.gzMd5() == null || !file.getFileName().toString().endsWith(".gz")) {
            return;
        }
        String md5 = digest(file, "MD5", false);
        if (!md5.equalsIgnoreCase(f.gzMd5())) {
            throw new DataFileException(file, file + ": its MD5 is " + md5 + ", expected " + f.gzMd5()
                    + ": the file is corrupt or a different data set. Delete it and load again to download it, or "
                    + "copy the original file there.");
        }
    }

    private static void sameCount(Path imagesFile, ImageBytes images, Path labelsFile, int[] labels) {
        if (images.count() != labels.length) {
            throw new DataFileException(imagesFile, imagesFile + " holds " + images.count() + " images but "
                    + labelsFile + " holds " + labels.length + " labels; they must belong together (same split of "
                    + "the same data set). Replace the wrong one with the original file.");
        }
    }

    // ---------------------------------------------------------------- the data

    /** The training set: X is N x (height*width) (60000 x 784 for MNIST), y the labels; built once, then shared. */
    public synchronized Dataset train() {
        if (train == null) {
            train = new Dataset(trainImages.toMatrix(mean, std), trainLabels.clone());
        }
        return train;
    }

    /** The test set: X is N x (height*width) (10000 x 784 for MNIST), y the labels; built once, then shared. */
    public synchronized Dataset test() {
        if (test == null) {
            test = new Dataset(testImages.toMatrix(mean, std), testLabels.clone());
        }
        return test;
    }

    /** A view of the first nTrain training and first nTest test images (fewer if there are fewer); nothing copied. */
    public Mnist first(int nTrain, int nTest) {
        if (nTrain < 0 || nTest < 0) {
            throw new IllegalArgumentException("first: counts must not be negative, got " + nTrain + " and " + nTest);
        }
        ImageBytes a = trainImages.first(nTrain);
        ImageBytes b = testImages.first(nTest);
        return new Mnist(source, folder, a, java.util.Arrays.copyOf(trainLabels, a.count()), b,
                java.util.Arrays.copyOf(testLabels, b.count()), mean, std);
    }

    /** A view whose pixels become {@code (p / 255 - mean) / std} when converted; the bytes are shared. */
    public Mnist standardized(double mean, double std) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("standardized: the standard deviation must be positive, got " + std);
        }
        return new Mnist(source, folder, trainImages, trainLabels, testImages, testLabels, mean, std);
    }

    /** {@code standardized(MEAN, STD)}: zero mean and unit variance, as the seed's torchvision transform does. */
    public Mnist normalized() {
        return standardized(MEAN, STD);
    }

    /** The training images as bytes (0..255), e.g. for pictures; a view, not a copy. */
    public ImageBytes trainImages() {
        return trainImages;
    }

    /** The test images as bytes (0..255); a view, not a copy. */
    public ImageBytes testImages() {
        return testImages;
    }

    /** The training labels (a copy). */
    public int[] trainLabels() {
        return trainLabels.clone();
    }

    /** The test labels (a copy). */
    public int[] testLabels() {
        return testLabels.clone();
    }

    /** Image height in pixels (28). */
    public int height() {
        return trainImages.height();
    }

    /** Image width in pixels (28). */
    public int width() {
        return trainImages.width();
    }

    /** The class names by label: "0".."9" for MNIST, "T-shirt/top".. for Fashion-MNIST. */
    public List<String> classNames() {
        return source.classes();
    }

    /** The folder the files were read from. */
    public Path folder() {
        return folder;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s from %s: %d training and %d test images of %dx%d%s",
                source.title(), folder, trainImages.count(), testImages.count(), height(), width(),
                mean == 0 && std == 1 ? ", pixels in [0, 1]" : ", pixels standardized with mean " + mean + ", std "
                        + std);
    }
}
