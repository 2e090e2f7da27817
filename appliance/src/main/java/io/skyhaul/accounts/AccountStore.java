package io.skyhaul.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Storage account rows: settings as JSON, secrets as one sealed JSON blob (see {@code SecretBox}). */
final class AccountStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    record Row(StoredAccount account, byte[] sealedSecrets) {
    }

    private final Jdbi jdbi;
    private final RowMapper<Row> mapper = (rs, ctx) -> {
        Map<String, Object> all = read(rs.getString("settings"));
        @SuppressWarnings("unchecked")
        List<String> secretNames = (List<String>) all.remove("$secrets");
        return new Row(new StoredAccount(rs.getString("id"), rs.getString("name"), rs.getString("kind"), all,
                secretNames == null ? java.util.Set.of() : new TreeSet<>(secretNames), Instant.parse(rs.getString("created_at")),
                Instant.parse(rs.getString("updated_at"))), rs.getBytes("secrets"));
    };

    AccountStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void insert(StoredAccount a, byte[] sealed) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO storage_accounts (id, name, kind, settings, secrets, created_at, updated_at) "
                        + "VALUES (:id, :name, :kind, :settings, :secrets, :created, :updated)")
                .bind("id", a.id()).bind("name", a.name()).bind("kind", a.kind()).bind("settings", write(a))
                .bind("secrets", sealed).bind("created", a.createdAt().toString()).bind("updated", a.updatedAt().toString()).execute());
    }

    void update(StoredAccount a, byte[] sealed) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE storage_accounts SET name = :name, settings = :settings, secrets = :secrets, "
                        + "updated_at = :updated WHERE id = :id")
                .bind("id", a.id()).bind("name", a.name()).bind("settings", write(a)).bind("secrets", sealed)
                .bind("updated", a.updatedAt().toString()).execute());
    }

    boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM storage_accounts WHERE id = :id").bind("id", id).execute()) == 1;
    }

    List<Row> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM storage_accounts ORDER BY name").map(mapper).list());
    }

    Optional<Row> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM storage_accounts WHERE id = :id").bind("id", id).map(mapper).findOne());
    }

    Optional<Row> byName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM storage_accounts WHERE name = :n").bind("n", name).map(mapper).findOne());
    }

    boolean inUse(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM partner_tokens WHERE account_id = :id AND revoked_at IS NULL")
                .bind("id", id).mapTo(Long.class).one()) > 0;
    }

    private static String write(StoredAccount a) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(a.settings());
        all.put("$secrets", List.copyOf(a.secretsSet()));
        try {
            return JSON.writeValueAsString(all);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> read(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("storage account settings are not JSON", e);
        }
    }
}
