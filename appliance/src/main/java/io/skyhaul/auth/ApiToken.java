package io.skyhaul.auth;

import java.time.Instant;

/** A user's bearer token, as listed: never the token itself, which is shown once at creation. */
public record ApiToken(String id, String userId, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {
}
