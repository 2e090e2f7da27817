package io.skyhaul.nodes;

import java.time.Instant;

/**
 * A node key as the API shows it (never the key itself): the name of the node it registers, who
 * issued it, when it was last used and whether it is revoked.
 */
public record NodeKey(String id, String name, String createdBy, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    /** The answer to issuing a key: the key itself, shown this once, and its details. */
    public record Issued(String key, NodeKey details) {
        @Override
        public String toString() {
            return "Issued[key=(hidden), details=" + details + "]";
        }
    }
}
