package io.skyhaul.transfers;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A new transfer. An upload lists the files the client will send (their relative paths and
 * sizes, which become object keys under the location's prefix); a download names the objects to
 * fetch, relative to the prefix, or none for everything under it.
 *
 * @param maxRate ceiling in bits per second, or null for the node's own
 * @param clientRef the client's own reference (e.g. a gateway's intent id), kept with the transfer and searchable
 */
public record TransferRequest(
        @NotNull TransferDirection direction,
        @NotBlank String location,
        @Valid @Size(max = 100_000) List<@NotNull @Valid FileEntry> files,
        @Size(max = 100_000) List<@NotBlank String> paths,
        @Min(1_000_000) @Max(100_000_000_000L) Long maxRate,
        Policy policy,
        OverwriteRule overwrite,
        @Size(max = 128) @jakarta.validation.constraints.Pattern(regexp = "[A-Za-z0-9._:-]+", message = "must be letters, digits, '.', '_', ':' or '-'")
        String clientRef) {

    public enum TransferDirection {
        @JsonProperty("upload") UPLOAD,
        @JsonProperty("download") DOWNLOAD;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Policy {
        @JsonProperty("fair") FAIR,
        @JsonProperty("background") BACKGROUND
    }

    public enum OverwriteRule {
        @JsonProperty("always") ALWAYS,
        @JsonProperty("never") NEVER,
        @JsonProperty("if-different") IF_DIFFERENT
    }

    public record FileEntry(@NotBlank @Size(max = 1024) String path, @PositiveOrZero long size) {
    }

    @AssertTrue(message = "an upload lists its files (and no paths); a download may list paths (and no files)")
    public boolean isShapeValid() {
        if (direction == null) {
            return true;
        }
        return direction == TransferDirection.UPLOAD ? files != null && !files.isEmpty() && paths == null : files == null;
    }
}
