package io.skyhaul.transfers;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A transfer's life. Upload: waiting (ticket issued) → publishing (received, being written to
 * storage) → done. Download: preparing (node fetching from storage) → ready (ticket valid) →
 * done. Any state before done can end failed, cancelled or expired.
 */
public enum TransferState {
    WAITING, PREPARING, READY, PUBLISHING, DONE, FAILED, CANCELLED, EXPIRED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == CANCELLED || this == EXPIRED;
    }

    public static TransferState parse(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
