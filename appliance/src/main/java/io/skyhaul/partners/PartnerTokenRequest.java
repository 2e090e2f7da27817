package io.skyhaul.partners;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A partner token to issue: scoped to one location (account, bucket, prefix) and a direction,
 * valid until {@code expiresAt}, with optional quotas and a rate ceiling (bits per second).
 */
public record PartnerTokenRequest(
        @NotBlank @Size(max = 100) String name,
        @NotBlank String location,
        @NotNull Access direction,
        @NotNull @Future Instant expiresAt,
        @Positive Long maxBytes,
        @Positive Long maxFiles,
        @Min(1_000_000) @Max(100_000_000_000L) Long maxRate) {

    public enum Access {
        @JsonProperty("upload") UPLOAD,
        @JsonProperty("download") DOWNLOAD,
        @JsonProperty("both") BOTH;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean allows(String direction) {
            return this == BOTH || wireName().equals(direction);
        }
    }
}
