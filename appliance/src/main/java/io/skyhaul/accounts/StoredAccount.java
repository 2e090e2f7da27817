package io.skyhaul.accounts;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A storage account as listed: its non-secret settings, and the names of the secrets that are
 * set (never their values).
 */
public record StoredAccount(String id, String name, String kind, Map<String, Object> settings, Set<String> secretsSet,
        Instant createdAt, Instant updatedAt) {
}
