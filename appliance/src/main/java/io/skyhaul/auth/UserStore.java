package io.skyhaul.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Users and their API tokens in the manager's database. Tokens are stored as SHA-256 only. */
public final class UserStore {
    private static final RowMapper<User> USER = (rs, ctx) -> new User(rs.getString("id"), rs.getString("username"),
            Role.parse(rs.getString("role")), Instant.parse(rs.getString("created_at")), rs.getInt("disabled") != 0);
    private static final RowMapper<ApiToken> TOKEN = (rs, ctx) -> new ApiToken(rs.getString("id"), rs.getString("user_id"),
            rs.getString("name"), Instant.parse(rs.getString("created_at")), instant(rs.getString("expires_at")),
            instant(rs.getString("last_used_at")), instant(rs.getString("revoked_at")));

    private final Jdbi jdbi;

    public UserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    public void insert(User user, String passwordHash) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (id, username, password_hash, role, created_at, disabled) "
                        + "VALUES (:id, :username, :hash, :role, :created, :disabled)")
                .bind("id", user.id()).bind("username", user.username()).bind("hash", passwordHash)
                .bind("role", user.role().wireName()).bind("created", text(user.createdAt())).bind("disabled", user.disabled() ? 1 : 0)
                .execute());
    }

    public long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Long.class).one());
    }

    public List<User> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users ORDER BY username").map(USER).list());
    }

    public Optional<User> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE id = :id").bind("id", id).map(USER).findOne());
    }

    public Optional<User> byName(String username) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE username = :u").bind("u", username).map(USER).findOne());
    }

    public Optional<String> passwordHash(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE id = :id").bind("id", userId)
                .mapTo(String.class).findOne());
    }

    public void update(String id, Role role, Boolean disabled, String passwordHash) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET role = coalesce(:role, role), disabled = coalesce(:disabled, disabled), "
                        + "password_hash = coalesce(:hash, password_hash) WHERE id = :id")
                .bind("id", id).bind("role", role == null ? null : role.wireName())
                .bind("disabled", disabled == null ? null : disabled ? 1 : 0).bind("hash", passwordHash).execute());
    }

    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute()) == 1;
    }

    public long countAdmins() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").mapTo(Long.class).one());
    }

    public void insertToken(ApiToken token, String tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) "
                        + "VALUES (:id, :user, :name, :hash, :created, :expires)")
                .bind("id", token.id()).bind("user", token.userId()).bind("name", token.name()).bind("hash", tokenHash)
                .bind("created", text(token.createdAt())).bind("expires", text(token.expiresAt())).execute());
    }

    public Optional<ApiToken> tokenByHash(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_tokens WHERE token_hash = :hash").bind("hash", tokenHash)
                .map(TOKEN).findOne());
    }

    public Optional<ApiToken> tokenById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_tokens WHERE id = :id").bind("id", id).map(TOKEN).findOne());
    }

    public List<ApiToken> tokens(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_tokens WHERE user_id = :user ORDER BY created_at")
                .bind("user", userId).map(TOKEN).list());
    }

    public void touchToken(String id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_tokens SET last_used_at = :at WHERE id = :id").bind("at", text(at)).bind("id", id).execute());
    }

    public boolean revokeToken(String id, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE api_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("at", text(at)).bind("id", id).execute()) == 1;
    }
}
