package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a local HTTP server on 127.0.0.1: good, corrupt, truncated, missing and stalling mirrors. */
class DownloadTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService pool;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<byte[]> raw = IdxFiles.tinySet();
    private final byte[] good = IdxFiles.gzip(raw.get(0));
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Download download = new Download(Duration.ofSeconds(2), Duration.ofMillis(400),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        // every mirror serves the four tiny files under their MNIST names, each in its own way
        for (int i = 0; i < 4; i++) {
            byte[] gz = IdxFiles.gzip(raw.get(i));
            String name = IdxFiles.NAMES.get(i);
            serve("/good/" + name, ex -> send(ex, gz, gz.length));
            byte[] bad = gz.clone();
            bad[bad.length / 2] ^= 0x40;
            serve("/corrupt/" + name, ex -> send(ex, bad, bad.length));
            byte[] other = IdxFiles.gzip(raw.get((i + 2) % 4));   // a valid file, but the wrong one
            serve("/wrong/" + name, ex -> send(ex, other, other.length));
            serve("/truncated/" + name, ex -> send(ex, Arrays.copyOf(gz, gz.length / 2), gz.length));
            serve("/slow/" + name, ex -> {
                ex.sendResponseHeaders(200, gz.length);
                OutputStream os = ex.getResponseBody();
                os.write(gz, 0, 10);
                os.flush();
                sleep(3000);   // longer than the 400 ms read timeout
                ex.close();
            });
            serve("/redirect/" + name, ex -> {
                ex.getResponseHeaders().add("Location", "/good/" + name);
                ex.sendResponseHeaders(302, -1);
                ex.close();
            });
        }
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private void serve(String path, Handler h) {
        server.createContext(path, ex -> {
            requests.incrementAndGet();
            try {
                h.handle(ex);
            } catch (IOException e) {
                ex.close();   // the client gave up (timeout): nothing to do
            }
        });
    }

    private static void send(HttpExchange ex, byte[] body, long announced) throws IOException {
        ex.sendResponseHeaders(200, announced);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        } catch (IOException e) {
            // a truncated body: the fixed-length stream complains on close; the connection is dropped either way
        }
        ex.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private URI url(String mirror) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + mirror + "/"
                + IdxFiles.NAMES.get(0));
    }

    private String mirror(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/";
    }

    private final Mnist.FileSpec spec = IdxFiles.tinySource(List.of()).trainImages();
    private final Consumer<Path> verify = f -> Mnist.verifyDownload(spec, f);

    private void assertNothingPartial(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            List<Path> left = files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
            assertEquals(List.of(), left, "temporary files left behind");
        }
    }

    @Test
    void goodFileArrivesVerified() throws Exception {
        Path target = dir.resolve("mnist").resolve(IdxFiles.NAMES.get(0));
        download.fetch(List.of(url("good")), target, verify);
        assertArrayEquals(good, Files.readAllBytes(target));
        assertNothingPartial(target.getParent());
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\r" + IdxFiles.NAMES.get(0) + " ["), "a progress line: " + out);
        assertTrue(out.contains("100%"), out);
    }

    @Test
    void corruptFileIsRejectedAndTheNextMirrorUsed() throws Exception {
        Path target = dir.resolve(IdxFiles.NAMES.get(0));
        download.fetch(List.of(url("corrupt"), url("good")), target, verify);
        assertArrayEquals(good, Files.readAllBytes(target));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("is not the right one"), log.toString());
        assertNothingPartial(dir);
    }

    @Test
    void corruptFileAloneLeavesNothing() throws Exception {
        Path target = dir.resolve(IdxFiles.NAMES.get(0));
        Download.FailedException e = assertThrows(Download.FailedException.class,
                () -> download.fetch(List.of(url("corrupt")), target, verify));
        assertTrue(e.getMessage().contains("is not the right one"), e.getMessage());
        assertFalse(Files.exists(target));
        assertNothingPartial(dir);
        Download.FailedException w = assertThrows(Download.FailedException.class,
                () -> download.fetch(List.of(url("wrong")), target, verify));
        assertTrue(w.getMessage().contains("checksum mismatch"), w.getMessage());
        assertFalse(Files.exists(target));
        assertNothingPartial(dir);
    }

    @Test
    void truncatedTransferIsRejected() throws Exception {
        Path target = dir.resolve(IdxFiles.NAMES.get(0));
        Download.FailedException e = assertThrows(Download.FailedException.class,
                () -> download.fetch(List.of(url("truncated")), target, verify));
        assertEquals(1, e.failures().size());
        assertFalse(Files.exists(target));
        assertNothingPartial(dir);
        download.fetch(List.of(url("truncated"), url("good")), target, verify);
        assertArrayEquals(good, Files.readAllBytes(target));
    }

    @Test
    void notFoundThenFallback() throws Exception {
        Path target = dir.resolve(IdxFiles.NAMES.get(0));
        download.fetch(List.of(url("missing"), url("good")), target, verify);
        assertArrayEquals(good, Files.readAllBytes(target));
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("HTTP 404") && out.contains("trying the next mirror"), out);
    }

    @Test
    void redirectIsFollowed() throws Exception {
        Path target = dir.resolve(IdxFiles.NAMES.get(0));
        download.fetch(List.of(url("redirect")), target, verify);
        assertArrayEquals(good, Files.readAllBytes(target));
    }

    @Test
    void stalledServerTimesOutThenFallback() throws Exception {
        Path target = dir.resolve(IdxFiles.NAMES.get(0));
        long t0 = System.nanoTime();
        Download.FailedException e = assertThrows(Download.FailedException.class,
                () -> download.fetch(List.of(url("slow")), target, verify));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 2.9, "gave up before the server would have finished");
        assertFalse(Files.exists(target));
        assertNothingPartial(dir);
        download.fetch(List.of(url("slow"), url("good")), target, verify);
        assertArrayEquals(good, Files.readAllBytes(target));
    }

    @Test
    void unwritableDataFolderIsNamed() throws Exception {
        Path blocker = IdxFiles.write(dir.resolve("data"), new byte[] {1});   // a file where the folder should be
        Path target = blocker.resolve("mnist").resolve(IdxFiles.NAMES.get(0));
        DataFileException e = assertThrows(DataFileException.class,
                () -> download.fetch(List.of(url("good")), target, verify));
        assertTrue(e.getMessage().contains("cannot write into the data folder " + blocker.resolve("mnist")),
                e.getMessage());
        assertTrue(e.getMessage().contains("NNLAB_DATA"), e.getMessage());
        assertEquals(0, requests.get(), "nothing is downloaded when it could not be stored");
    }

    @Test
    void mnistLookupDownloadsWhatIsMissingAndReadsIt() throws Exception {
        Path project = dir.resolve("project");
        Path folder = project.resolve("data/mnist");
        // one file is already there; the three others come from the second mirror (the first one is corrupt)
        IdxFiles.write(folder.resolve(IdxFiles.NAMES.get(1)), IdxFiles.gzip(raw.get(1)));
        Mnist.Source src = IdxFiles.tinySource(List.of(mirror("corrupt"), mirror("good")));
        Mnist m = Mnist.locate(src, Map.of(), project.resolve("notebooks"), download);
        assertEquals(folder, m.folder());
        assertEquals(12, m.train().size());
        assertEquals(5, m.test().size());
        assertEquals(6, requests.get(), "three files, each tried on two mirrors");
        assertNothingPartial(folder);
        // a second load finds everything and downloads nothing
        Mnist.locate(src, Map.of(), project, download);
        assertEquals(6, requests.get());
    }

    @Test
    void downloadGoesIntoNnlabDataWhenSet() throws Exception {
        Path shared = dir.resolve("shared");
        Mnist.Source src = IdxFiles.tinySource(List.of(mirror("good")));
        Mnist m = Mnist.locate(src, Map.of("NNLAB_DATA", shared.toString()), dir.resolve("elsewhere"), download);
        assertEquals(shared.resolve("mnist"), m.folder());
    }
}
