package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import nnlab.math.Matrix;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    @TempDir
    Path dir;

    /** A downloader that must not be used: the lookup has to find the files. */
    private static final Download NO_NETWORK = new Download(Duration.ofMillis(1), Duration.ofMillis(1), null);

    @Test
    void realMnistFromNnlabData() {
        String data = System.getenv(Mnist.DATA_VARIABLE);
        Assumptions.assumeTrue(data != null, "NNLAB_DATA is not set: skipping the test on the real MNIST files "
                + "(./nnlab test and .ci/run set it to ../shared/data)");
        Mnist mnist = Mnist.load();
        assertEquals(Path.of(data).resolve("mnist"), mnist.folder());
        Dataset train = mnist.train();
        Dataset test = mnist.test();
        assertEquals(60_000, train.size());
        assertEquals(784, train.X().cols());
        assertEquals(10_000, test.size());
        assertEquals(784, test.X().cols());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9}, java.util.Arrays.copyOf(train.y(), 5));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4}, java.util.Arrays.copyOf(test.y(), 5));
        assertEquals(0.0, train.X().min());
        assertEquals(1.0, train.X().max());
        assertEquals(Mnist.MEAN, train.X().mean(), 5e-5);
        int[] counts = new int[10];
        for (int label : train.y()) {
            counts[label]++;
        }
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, counts);
        // the first image is a 5: its row 14 (of 28) has ink in the middle columns
        Matrix row14 = train.X().row(0).reshape(28, 28).row(14);
        assertTrue(row14.max() > 0.9, row14.toString());
        assertEquals(0.0, train.X().get(0, 0));
        Mnist z = mnist.first(1000, 100).normalized();
        assertEquals(1000, z.train().size());
        assertEquals((train.X().get(0, 14 * 28 + 14) - Mnist.MEAN) / Mnist.STD, z.train().X().get(0, 14 * 28 + 14),
                1e-12);
    }

    @Test
    void lookupPrefersNnlabDataThenDataFolderUpwards() {
        Path shared = IdxFiles.writeTinySet(dir.resolve("shared/mnist"));
        Path project = dir.resolve("project");
        Path inProject = IdxFiles.writeTinySet(project.resolve("data/mnist"));
        Path notebooks = project.resolve("notebooks");
        IdxFiles.write(notebooks.resolve("x.ipynb"), new byte[0]);
        Mnist.Source src = IdxFiles.tinySource(List.of());
        assertEquals(shared, Mnist.locate(src, Map.of("NNLAB_DATA", dir.resolve("shared").toString()), notebooks,
                NO_NETWORK).folder());
        assertEquals(inProject, Mnist.locate(src, Map.of(), notebooks, NO_NETWORK).folder());
        // NNLAB_DATA set but without the files: on to data/mnist
        assertEquals(inProject, Mnist.locate(src, Map.of("NNLAB_DATA", dir.resolve("empty").toString()), project,
                NO_NETWORK).folder());
    }

    @Test
    void offlineErrorSaysWhichFilesGoWhere() throws Exception {
        Path project = dir.resolve("p");
        Files.createDirectories(project.resolve("data"));
        // a mirror nobody listens on: the connection is refused at once
        Mnist.Source src = IdxFiles.tinySource(List.of("http://127.0.0.1:9/"));
        Download quiet = new Download(Duration.ofSeconds(2), Duration.ofSeconds(2), null);
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.locate(src, Map.of(), project, quiet));
        String m = e.getMessage();
        for (String name : IdxFiles.NAMES.subList(0, 1)) {
            assertTrue(m.contains("could not download " + name), m);
        }
        for (String name : IdxFiles.NAMES) {
            assertTrue(m.contains(project.resolve("data/mnist").resolve(name).toString()), m);
        }
        assertTrue(m.contains("NNLAB_DATA"), m);
        try (var files = Files.list(project.resolve("data/mnist"))) {
            assertEquals(List.of(), files.toList(), "nothing partial is left behind");
        }
    }

    @Test
    void notAFolderIsNamed() {
        Path nowhere = dir.resolve("nowhere");
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(nowhere));
        assertTrue(e.getMessage().contains(nowhere + " is not a folder"), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }
}
