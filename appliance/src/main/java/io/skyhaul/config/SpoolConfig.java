package io.skyhaul.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The gateway's upload buffer: files handed to the gateway are written here durably before the
 * client is told so, then uploaded in the background. When it is full, clients are told to wait.
 *
 * @param maxBytes bytes held at most (acknowledged and not yet uploaded, plus bodies arriving)
 * @param maxFiles files held at most
 * @param rules what a file must be to be accepted
 * @param batchFiles files uploaded in one transfer at most
 */
public record SpoolConfig(
        @Min(1 << 20) Long maxBytes,
        @Min(1) @Max(10_000_000) Integer maxFiles,
        @Valid FileRulesConfig rules,
        @Min(1) @Max(100_000) Integer batchFiles) {

    public SpoolConfig {
        maxBytes = maxBytes == null ? 10L << 30 : maxBytes;
        maxFiles = maxFiles == null ? 100_000 : maxFiles;
        rules = rules == null ? FileRulesConfig.none() : rules;
        batchFiles = batchFiles == null ? 100 : batchFiles;
    }

    public static SpoolConfig defaults() {
        return new SpoolConfig(null, null, null, null);
    }
}
