package io.skyhaul.partners;

import java.time.Instant;

/** An issued partner token as listed, with its usage; never the token itself. */
public record PartnerToken(String id, String name, String accountId, String location, String direction, Instant expiresAt,
        Long maxBytes, Long maxFiles, Long maxRate, long bytesUsed, long filesUsed, String createdBy, Instant createdAt,
        Instant revokedAt) {

    public String status(Instant now) {
        return revokedAt != null ? "revoked" : expiresAt.isAfter(now) ? "active" : "expired";
    }
}
