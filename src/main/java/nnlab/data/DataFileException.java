package nnlab.data;

import java.nio.file.Path;

/**
 * A data file that is missing, unreadable, truncated, corrupt or not what it should be. The message names the file,
 * says what is wrong with it and how to fix it.
 */
public final class DataFileException extends RuntimeException {
    private final transient Path file;

    public DataFileException(Path file, String message) {
        super(message);
        this.file = file;
    }

    public DataFileException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file (or folder) the problem is about. */
    public Path file() {
        return file;
    }
}
