package nnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Downloads one file from a list of mirrors, safely: the bytes stream into a temporary file in the target's folder,
 * which is verified and only then renamed onto the target in one atomic step. A failed, interrupted or corrupt
 * transfer leaves nothing behind (the temporary file is deleted), and the next mirror is tried. One progress line
 * updates in place while the bytes arrive.
 */
public final class Download {
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final PrintStream out;
    private boolean lineOpen;

    /**
     * @param connectTimeout how long to wait for a mirror to accept the connection
     * @param readTimeout    how long a transfer may stall (no byte arriving) before the mirror is given up
     * @param out            where the progress line and the per-mirror failures go (null: silent)
     */
    public Download(Duration connectTimeout, Duration readTimeout, PrintStream out) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.out = out;
    }

    /** Where progress goes (null: nowhere). */
    public PrintStream out() {
        return out;
    }

    /** 15 s to connect, 30 s of silence at most, progress on standard output. */
    public static Download standard() {
        return new Download(Duration.ofSeconds(15), Duration.ofSeconds(30), System.out);
    }

    /** Why one mirror failed. */
    public record Failure(URI url, String reason) {
        @Override
        public String toString() {
            return url + ": " + reason;
        }
    }

    /** Every mirror failed; {@link #failures()} says why, one entry per mirror. */
    public static final class FailedException extends IOException {
        private final transient List<Failure> failures;

        FailedException(String message, List<Failure> failures) {
            super(message);
            this.failures = List.copyOf(failures);
        }

        public List<Failure> failures() {
            return failures;
        }
    }

    /**
     * Fetches the first mirror that delivers a file passing {@code verify} into {@code target}.
     *
     * @param urls   the mirrors' URLs of this file, tried in order
     * @param target where the file goes; it appears there complete and verified, or not at all
     * @param verify throws a {@link DataFileException} saying what is wrong if the downloaded file is not the right one
     * @throws DataFileException if the target's folder cannot be created or written (the message says what to do)
     * @throws FailedException   if no mirror delivered a good file (each failure is listed)
     */
    public void fetch(List<URI> urls, Path target, Consumer<Path> verify) throws FailedException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw unwritable(dir, e);
        }
        List<Failure> failures = new ArrayList<>();
        for (URI url : urls) {
            Path tmp;
            try {
                tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
            } catch (IOException e) {
                throw unwritable(dir, e);
            }
            try {
                transfer(url, tmp, target.getFileName().toString());
                verify.accept(tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (DataFileException e) {
                failures.add(new Failure(url, "the file is not the right one: " + e.getMessage()
                        .replace(tmp.toString(), "the downloaded file")));
            } catch (SocketTimeoutException e) {
                failures.add(new Failure(url, "timed out (" + e.getMessage() + ")"));
            } catch (IOException e) {
                failures.add(new Failure(url, e.getMessage() == null ? e.toString() : e.getMessage()));
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    failures.add(new Failure(url, "could not delete the temporary file " + tmp + ": " + e));
                }
            }
            if (out != null) {
                if (lineOpen) {
                    out.println();
                    lineOpen = false;
                }
                out.println("  failed: " + failures.get(failures.size() - 1) + (urls.indexOf(url) < urls.size() - 1
                        ? "; trying the next mirror" : ""));
            }
        }
        StringBuilder sb = new StringBuilder("could not download " + target.getFileName() + " from any mirror:");
        for (Failure f : failures) {
            sb.append("\n  ").append(f);
        }
        throw new FailedException(sb.toString(), failures);
    }

    private static DataFileException unwritable(Path dir, IOException e) {
        String why = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.toString();
        return new DataFileException(dir, "cannot write into the data folder " + dir + " (" + why + "). Make it "
                + "writable, or set the environment variable NNLAB_DATA to a writable folder (or one that already "
                + "holds the files), or pass a folder to load(Path).", e);
    }

    /** Streams one URL into {@code file}, following up to five redirects (also from http to https). */
    private void transfer(URI url, Path file, String label) throws IOException {
        URL current = url.toURL();
        for (int hop = 0; hop < 6; hop++) {
            HttpURLConnection c = (HttpURLConnection) current.openConnection();
            c.setConnectTimeout((int) connectTimeout.toMillis());
            c.setReadTimeout((int) readTimeout.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("User-Agent", "nnlab");
            try {
                int code = c.getResponseCode();
                if (code >= 300 && code < 400 && c.getHeaderField("Location") != null) {
                    current = new URL(current, c.getHeaderField("Location"));
                    continue;
                }
                if (code != HttpURLConnection.HTTP_OK) {
                    throw new IOException("HTTP " + code + (c.getResponseMessage() == null ? ""
                            : " " + c.getResponseMessage()));
                }
                long length = c.getContentLengthLong();
                try (InputStream in = c.getInputStream(); OutputStream os = Files.newOutputStream(file)) {
                    byte[] buf = new byte[1 << 16];
                    long done = 0;
                    long lastPrint = 0;
                    long start = System.nanoTime();
                    for (int n; (n = in.read(buf)) > 0; ) {
                        os.write(buf, 0, n);
                        done += n;
                        long now = System.nanoTime();
                        if (now - lastPrint > 250_000_000L) {
                            lastPrint = now;
                            progress(label, done, length, start, false);
                        }
                    }
                    if (length >= 0 && done != length) {
                        throw new IOException("the transfer broke off after " + done + " of " + length + " bytes");
                    }
                    progress(label, done, length, start, true);
                }
                return;
            } finally {
                c.disconnect();
            }
        }
        throw new IOException("more than five redirects");
    }

    private void progress(String label, long done, long length, long start, boolean last) {
        if (out == null) {
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String bar = "";
        if (length > 0) {
            int filled = (int) (30 * Math.min(done, length) / length);
            bar = String.format(Locale.ROOT, " [%s%s] %3d%%", "#".repeat(filled), ".".repeat(30 - filled),
                    100 * done / length);
        }
        out.print(String.format(Locale.ROOT, "\r%s%s %.1f MB %.1f s", label, bar, done / 1e6, seconds));
        if (last) {
            out.println();
        }
        lineOpen = !last;
        out.flush();
    }
}
