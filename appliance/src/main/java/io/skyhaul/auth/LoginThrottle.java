package io.skyhaul.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing: after {@link #FREE_ATTEMPTS} failures for one user name, each
 * further attempt must wait twice as long as the last (1 s, 2 s, 4 s ... at most 15 minutes),
 * whoever asks. A success clears the record. Bounded in memory: the oldest names are forgotten.
 */
public final class LoginThrottle {
    public static final int FREE_ATTEMPTS = 5;
    private static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long this name must still wait; zero when it may try now. */
    public synchronized Duration waitFor(String username) {
        Failures f = failures.get(username);
        if (f == null || f.lockedUntil == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), f.lockedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public synchronized void failed(String username) {
        Failures f = failures.getOrDefault(username, new Failures(0, null));
        int count = f.count + 1;
        Instant until = null;
        if (count >= FREE_ATTEMPTS) {
            long seconds = 1L << Math.min(20, count - FREE_ATTEMPTS);
            until = clock.instant().plus(seconds > MAX_LOCK.toSeconds() ? MAX_LOCK : Duration.ofSeconds(seconds));
        }
        failures.put(username, new Failures(count, until));
    }

    public synchronized void succeeded(String username) {
        failures.remove(username);
    }
}
