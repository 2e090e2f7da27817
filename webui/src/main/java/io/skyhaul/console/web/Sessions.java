package io.skyhaul.console.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory: a restart signs everyone out, which is acceptable for an
 * admin console and keeps session ids out of the database. Ids and CSRF tokens are 256 random
 * bits. A session ends after {@link #IDLE} without a request or {@link #ABSOLUTE} after sign-in;
 * at most {@link #MAX_SESSIONS} live at once (the least recently used goes first).
 */
public final class Sessions {
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration ABSOLUTE = Duration.ofHours(12);
    public static final int MAX_SESSIONS = 10_000;

    private final Map<String, ConsoleSession> byId = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Clock clock;

    public Sessions(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    /** A new session for a user who just signed in: always a fresh id, never one the browser brought. */
    public ConsoleSession open(String userId) {
        Instant now = clock.instant();
        if (byId.size() >= MAX_SESSIONS) {
            byId.values().stream().min(Comparator.comparing(ConsoleSession::lastSeen)).ifPresent(s -> byId.remove(s.id()));
        }
        ConsoleSession s = new ConsoleSession(newSecret(), userId, newSecret(), now);
        byId.put(s.id(), s);
        return s;
    }

    /** The live session with this id, touched; empty when unknown or expired. */
    public Optional<ConsoleSession> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        ConsoleSession s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (s.lastSeen().plus(IDLE).isBefore(now) || s.createdAt().plus(ABSOLUTE).isBefore(now)) {
            byId.remove(id);
            return Optional.empty();
        }
        s.touch(now);
        return Optional.of(s);
    }

    public void close(ConsoleSession s) {
        byId.remove(s.id());
    }

    public String newSecret() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
