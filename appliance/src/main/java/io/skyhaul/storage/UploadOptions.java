package io.skyhaul.storage;

import java.util.Objects;

/**
 * How one upload behaves. {@code parallelism} is the number of parts {@link ObjectStore#putFile}
 * sends at once (it then holds at most {@code parallelism + 1} part buffers in memory).
 */
public record UploadOptions(Overwrite overwrite, int parallelism) {
    public static final int DEFAULT_PARALLELISM = 4;
    public static final int MAX_PARALLELISM = 64;

    public UploadOptions {
        Objects.requireNonNull(overwrite, "overwrite");
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("parallelism must be between 1 and " + MAX_PARALLELISM + ", got " + parallelism);
        }
    }

    /** Overwrite always (as S3 and Azure do), four parts at once. */
    public static UploadOptions defaults() {
        return new UploadOptions(Overwrite.ALWAYS, DEFAULT_PARALLELISM);
    }

    public UploadOptions withOverwrite(Overwrite value) {
        return new UploadOptions(value, parallelism);
    }

    public UploadOptions withParallelism(int value) {
        return new UploadOptions(overwrite, value);
    }
}
