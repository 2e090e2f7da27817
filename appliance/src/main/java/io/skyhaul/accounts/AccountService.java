package io.skyhaul.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Secrets;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.storage.AzureAccount;
import io.skyhaul.storage.LocalAccount;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectStores;
import io.skyhaul.storage.S3Account;
import io.skyhaul.storage.StorageAccount;
import io.skyhaul.storage.StorageException;
import io.skyhaul.vault.SecretBox;
import io.skyhaul.vault.VaultException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The credentials vault: storage accounts with their secrets sealed under the master key. The
 * secrets leave this class only as a {@link StorageAccount} handed to a storage backend; the
 * API and console see {@link StoredAccount}, which has none.
 */
public final class AccountService {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountStore store;
    private final SecretBox box;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Clock clock;

    public AccountService(Jdbi jdbi, SecretBox box, Secrets secrets, AuditLog audit, Clock clock) {
        this.store = new AccountStore(jdbi);
        this.box = box;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    public List<StoredAccount> list() {
        return store.list().stream().map(AccountStore.Row::account).toList();
    }

    public StoredAccount get(String idOrName) {
        return row(idOrName).account();
    }

    private AccountStore.Row row(String idOrName) {
        return store.byId(idOrName).or(() -> store.byName(idOrName))
                .orElseThrow(() -> ApiException.notFound("storage account '" + idOrName + "'"));
    }

    /** The account a location names, which must be of the location's kind (s3://, azure://, local://). */
    public StoredAccount accountOf(io.skyhaul.transfers.Location location) {
        StoredAccount account = get(location.account());
        if (!account.kind().equals(location.scheme())) {
            throw ApiException.invalid("location", "account '" + account.name() + "' is a " + account.kind() + " account: write "
                    + account.kind() + "://" + account.name() + "/...");
        }
        return account;
    }

    public StoredAccount create(Principal actor, AccountRequest request) {
        if (store.byName(request.name()).isPresent()) {
            throw new ApiException(ApiError.CONFLICT, "a storage account named '" + request.name() + "' already exists");
        }
        Instant now = clock.instant();
        String id = secrets.newId();
        Map<String, String> secretValues = secretsOf(request, Map.of(), true);
        StoredAccount account = new StoredAccount(id, request.name(), request.kind().wireName(), settingsOf(request),
                new java.util.TreeSet<>(secretValues.keySet()), now, now);
        store.insert(account, seal(secretValues, id));
        audit.record(actor.describe(), "account.create", "account " + account.name(), account.kind());
        return account;
    }

    public StoredAccount update(Principal actor, String idOrName, AccountRequest request) {
        AccountStore.Row existing = row(idOrName);
        StoredAccount old = existing.account();
        if (!old.kind().equals(request.kind().wireName())) {
            throw ApiException.invalid("kind", "cannot change an account's kind (" + old.kind() + "); create a new account");
        }
        if (!old.name().equals(request.name()) && store.byName(request.name()).isPresent()) {
            throw new ApiException(ApiError.CONFLICT, "a storage account named '" + request.name() + "' already exists");
        }
        Map<String, String> secretValues = secretsOf(request, unseal(existing), false);
        StoredAccount account = new StoredAccount(old.id(), request.name(), old.kind(), settingsOf(request),
                new java.util.TreeSet<>(secretValues.keySet()), old.createdAt(), clock.instant());
        store.update(account, seal(secretValues, old.id()));
        audit.record(actor.describe(), "account.update", "account " + account.name(), "credentials and settings replaced");
        return account;
    }

    public void delete(Principal actor, String idOrName) {
        StoredAccount account = get(idOrName);
        if (store.inUse(account.id())) {
            throw new ApiException(ApiError.CONFLICT, "storage account '" + account.name() + "' has active partner tokens; revoke them first");
        }
        try {
            store.delete(account.id());
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            throw new ApiException(ApiError.CONFLICT, "storage account '" + account.name() + "' is referenced by the transfer log and cannot be deleted");
        }
        audit.record(actor.describe(), "account.delete", "account " + account.name(), null);
    }

    /** The account with its secrets, for a storage backend. */
    public StorageAccount credentials(String idOrName) {
        AccountStore.Row row = row(idOrName);
        StoredAccount a = row.account();
        Map<String, String> s = unseal(row);
        Map<String, Object> set = a.settings();
        return switch (a.kind()) {
            case "s3" -> new S3Account((String) set.get("accessKeyId"), s.get("secretAccessKey"), (String) set.get("region"),
                    set.get("endpoint") == null ? null : URI.create((String) set.get("endpoint")), Boolean.TRUE.equals(set.get("pathStyle")));
            case "azure" -> new AzureAccount((String) set.get("accountName"), s.get("accountKey"), s.get("connectionString"),
                    s.get("sasToken"), set.get("endpoint") == null ? null : URI.create((String) set.get("endpoint")));
            case "local" -> new LocalAccount(Path.of((String) set.get("path")));
            default -> throw new IllegalStateException("unknown account kind " + a.kind());
        };
    }

    /** Opens the account's bucket and proves it answers; the storage server's own error otherwise. */
    public void testConnection(Principal actor, String idOrName, String bucket) {
        StoredAccount account = get(idOrName);
        try (ObjectStore store = ObjectStores.open(credentials(account.id()), bucket)) {
            store.testConnection();
        } catch (StorageException e) {
            throw new ApiException(ApiError.STORAGE_FAILED, "account '" + account.name() + "', bucket '" + bucket + "': " + e.getMessage());
        }
        audit.record(actor.describe(), "account.test", "account " + account.name(), "bucket " + bucket + ": ok");
    }

    private static Map<String, Object> settingsOf(AccountRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (r.kind()) {
            case S3 -> {
                m.put("accessKeyId", r.s3().accessKeyId());
                m.put("region", r.s3().region());
                if (r.s3().endpoint() != null) {
                    m.put("endpoint", r.s3().endpoint().toString());
                }
                m.put("pathStyle", Boolean.TRUE.equals(r.s3().pathStyle()));
            }
            case AZURE -> {
                if (r.azure().accountName() != null) {
                    m.put("accountName", r.azure().accountName());
                }
                if (r.azure().endpoint() != null) {
                    m.put("endpoint", r.azure().endpoint().toString());
                }
            }
            case LOCAL -> {
                Path p = Path.of(r.local().path());
                if (!p.isAbsolute()) {
                    throw ApiException.invalid("local.path", "must be an absolute path");
                }
                m.put("path", p.normalize().toString());
            }
        }
        return m;
    }

    /** The secret fields given now, merged over the stored ones (an omitted secret keeps its value). */
    private static Map<String, String> secretsOf(AccountRequest r, Map<String, String> stored, boolean creating) {
        Map<String, String> m = new TreeMap<>(stored);
        switch (r.kind()) {
            case S3 -> {
                put(m, "secretAccessKey", r.s3().secretAccessKey());
                if (!m.containsKey("secretAccessKey")) {
                    throw ApiException.invalid("s3.secretAccessKey", "is required");
                }
            }
            case AZURE -> {
                AccountRequest.AzureFields a = r.azure();
                int given = (a.accountKey() != null ? 1 : 0) + (a.connectionString() != null ? 1 : 0) + (a.sasToken() != null ? 1 : 0);
                if (given > 1) {
                    throw ApiException.invalid("azure", "give one of accountKey, connectionString or sasToken");
                }
                if (given == 1) {
                    m.clear();
                }
                put(m, "accountKey", a.accountKey());
                put(m, "connectionString", a.connectionString());
                put(m, "sasToken", a.sasToken());
                if (m.isEmpty()) {
                    throw ApiException.invalid("azure", "give one of accountKey, connectionString or sasToken");
                }
                if (!m.containsKey("connectionString") && a.accountName() == null) {
                    throw ApiException.invalid("azure.accountName", "is required with an account key or SAS token");
                }
            }
            case LOCAL -> m.clear();
        }
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }

    private byte[] seal(Map<String, String> values, String id) {
        if (values.isEmpty()) {
            return null;
        }
        try {
            return box.seal(JSON.writeValueAsString(values), "storage-account:" + id);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> unseal(AccountStore.Row row) {
        if (row.sealedSecrets() == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(box.open(row.sealedSecrets(), "storage-account:" + row.account().id()), new TypeReference<Map<String, String>>() { });
        } catch (VaultException e) {
            throw new ApiException(ApiError.INTERNAL, e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
