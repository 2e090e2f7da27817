package io.skyhaul.auth;

import io.skyhaul.audit.AuditLog;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users, passwords and API tokens: the rules, in one place for the API and the console.
 */
public final class UserService {
    /** Tokens from {@code skyhaul login} last this long unless asked otherwise. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(90);
    public static final int MIN_PASSWORD_LENGTH = 12;
    /** Don't write last_used_at on every request: once a minute is enough to show activity. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    public record IssuedToken(ApiToken token, String secret) {
    }

    private final UserStore store;
    private final PasswordHasher hasher;
    private final Secrets secrets;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Clock clock;

    public UserService(UserStore store, PasswordHasher hasher, Secrets secrets, LoginThrottle throttle, AuditLog audit, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.secrets = secrets;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * On a fresh database, creates user {@code admin}: with the given password, or with a
     * generated one that is returned so that it can be shown once. Empty when users exist.
     */
    public Optional<String> bootstrapAdmin(String givenPassword) {
        if (store.count() > 0) {
            return Optional.empty();
        }
        String password = givenPassword != null && !givenPassword.isEmpty() ? givenPassword : secrets.newPassword();
        store.insert(new User(secrets.newId(), "admin", Role.ADMIN, clock.instant(), false), hasher.hash(password));
        audit.record("system", "user.create", "user admin", "first start: role admin");
        return Optional.of(password);
    }

    /** Checks a password and issues an API token for the CLI or a script. */
    public IssuedToken login(String username, String password, String tokenName, Duration lifetime) {
        return issue(signIn(username, password), tokenName, clock.instant().plus(lifetime));
    }

    /**
     * Checks a user name and password, through the same slow-down as every sign-in (the API's
     * login and the console's sign-in form): the user, or {@link ApiError#TOO_MANY_ATTEMPTS} /
     * {@link ApiError#UNAUTHENTICATED}.
     */
    public User signIn(String username, String password) {
        Duration wait = throttle.waitFor(username);
        if (!wait.isZero()) {
            throw new ApiException(ApiError.TOO_MANY_ATTEMPTS, "too many failed sign-ins for '" + username + "'; try again in "
                    + Math.max(1, wait.toSeconds()) + " s");
        }
        Optional<User> user = store.byName(username).filter(u -> !u.disabled());
        // Verify a hash even for unknown users, so the answer's timing does not reveal which names exist.
        String hash = user.flatMap(u -> store.passwordHash(u.id())).orElse(DUMMY_HASH);
        if (!hasher.verify(password, hash) || user.isEmpty()) {
            throttle.failed(username);
            throw new ApiException(ApiError.UNAUTHENTICATED, "wrong user name or password");
        }
        throttle.succeeded(username);
        return user.get();
    }

    private static final String DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    /** The user behind a bearer token, if the token is valid, unexpired, unrevoked and its user enabled. */
    public Optional<Principal> authenticate(String bearer) {
        if (!bearer.startsWith(Secrets.USER_TOKEN_PREFIX)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.tokenByHash(Secrets.hash(bearer))
                .filter(t -> t.revokedAt() == null && (t.expiresAt() == null || t.expiresAt().isAfter(now)))
                .flatMap(t -> {
                    if (t.lastUsedAt() == null || t.lastUsedAt().plus(TOUCH_INTERVAL).isBefore(now)) {
                        store.touchToken(t.id(), now);
                    }
                    return store.byId(t.userId());
                })
                .filter(u -> !u.disabled())
                .map(u -> Principal.user(u.id(), u.username(), u.role()));
    }

    public List<User> list() {
        return store.list();
    }

    public User get(String id) {
        return store.byId(id).orElseThrow(() -> ApiException.notFound("user " + id));
    }

    public User create(Principal actor, String username, String password, Role role) {
        requireStrong(password);
        if (store.byName(username).isPresent()) {
            throw new ApiException(ApiError.CONFLICT, "a user named '" + username + "' already exists");
        }
        User user = new User(secrets.newId(), username, role, clock.instant(), false);
        store.insert(user, hasher.hash(password));
        audit.record(actor.describe(), "user.create", "user " + username, "role " + role.wireName());
        return user;
    }

    public User update(Principal actor, String id, Role role, Boolean disabled, String password) {
        User user = get(id);
        boolean losesAdmin = user.role() == Role.ADMIN && !user.disabled()
                && ((role != null && role != Role.ADMIN) || Boolean.TRUE.equals(disabled));
        if (losesAdmin && store.countAdmins() <= 1) {
            throw new ApiException(ApiError.CONFLICT, "'" + user.username() + "' is the last enabled admin; make another admin first");
        }
        if (password != null) {
            requireStrong(password);
        }
        store.update(id, role, disabled, password == null ? null : hasher.hash(password));
        audit.record(actor.describe(), "user.update", "user " + user.username(),
                (role != null ? "role " + role.wireName() + " " : "") + (disabled != null ? (disabled ? "disabled " : "enabled ") : "")
                        + (password != null ? "password changed" : ""));
        return get(id);
    }

    public void delete(Principal actor, String id) {
        User user = get(id);
        if (user.role() == Role.ADMIN && !user.disabled() && store.countAdmins() <= 1) {
            throw new ApiException(ApiError.CONFLICT, "'" + user.username() + "' is the last enabled admin; make another admin first");
        }
        store.delete(id);
        audit.record(actor.describe(), "user.delete", "user " + user.username(), null);
    }

    public IssuedToken issueToken(Principal actor, String userId, String name, Instant expiresAt) {
        User user = get(userId);
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw ApiException.invalid("expiresAt", "must be in the future");
        }
        IssuedToken issued = issue(user, name, expiresAt);
        audit.record(actor.describe(), "api-token.issue", "user " + user.username(), "token " + issued.token().id() + " '" + name + "'");
        return issued;
    }

    public List<ApiToken> tokens(String userId) {
        get(userId);
        return store.tokens(userId);
    }

    public void revokeToken(Principal actor, String userId, String tokenId) {
        ApiToken token = store.tokenById(tokenId).filter(t -> t.userId().equals(userId))
                .orElseThrow(() -> ApiException.notFound("API token " + tokenId));
        if (store.revokeToken(token.id(), clock.instant())) {
            audit.record(actor.describe(), "api-token.revoke", "user " + get(userId).username(), "token " + tokenId);
        }
    }

    private IssuedToken issue(User user, String name, Instant expiresAt) {
        String secret = secrets.newToken(Secrets.USER_TOKEN_PREFIX);
        ApiToken token = new ApiToken(secrets.newId(), user.id(), name, clock.instant(), expiresAt, null, null);
        store.insertToken(token, Secrets.hash(secret));
        return new IssuedToken(token, secret);
    }

    private static void requireStrong(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.invalid("password", "must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }
}
