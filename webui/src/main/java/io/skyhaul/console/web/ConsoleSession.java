package io.skyhaul.console.web;

import java.time.Instant;

/**
 * A signed-in browser: which user, the CSRF token its forms carry, and one message to show on
 * the next page (after a redirect). The user's role is not kept here: it is read from the user
 * store on every request, so a role change or a disabled account takes effect at once.
 */
public final class ConsoleSession {
    private final String id;
    private final String userId;
    private final String csrfToken;
    private final Instant createdAt;
    private volatile Instant lastSeen;
    private volatile String flash;

    ConsoleSession(String id, String userId, String csrfToken, Instant createdAt) {
        this.id = id;
        this.userId = userId;
        this.csrfToken = csrfToken;
        this.createdAt = createdAt;
        this.lastSeen = createdAt;
    }

    public String id() {
        return id;
    }

    public String userId() {
        return userId;
    }

    public String csrfToken() {
        return csrfToken;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant lastSeen() {
        return lastSeen;
    }

    void touch(Instant now) {
        lastSeen = now;
    }

    /** A message for the next page shown. */
    public void flash(String message) {
        flash = message;
    }

    /** The pending message, once. */
    public String takeFlash() {
        String f = flash;
        flash = null;
        return f;
    }
}
