package io.skyhaul.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.testing.LogCapture;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage secrets are write-only: never in an API answer, never in the log, and in the database
 * only sealed (no file under the data directory holds them in clear).
 */
@Timeout(60)
class SecretsStayHiddenTest {
    @TempDir
    Path tmp;

    @Test
    void accountSecretsAppearInNoAnswerNoLogAndNoFile() throws Exception {
        String s3Secret = "s3secret-" + UUID.randomUUID();
        String azureKey = "azkey-" + UUID.randomUUID();
        String connectionKey = "connkey-" + UUID.randomUUID();
        String sas = "sv=2024&sig=" + UUID.randomUUID();
        String newS3Secret = "rotated-" + UUID.randomUUID();
        List<String> secrets = List.of(s3Secret, azureKey, connectionKey, sas, newS3Secret);
        Path data = tmp.resolve("data");
        List<Reply> replies = new ArrayList<>();
        try (LogCapture log = new LogCapture(Level.INFO)) {
            try (RunningAppliance appliance = RunningAppliance.start(data)) {
                String admin = appliance.adminToken();
                Map<String, Object> s3 = new LinkedHashMap<>(Map.of("accessKeyId", "AKIAEXAMPLE", "secretAccessKey", s3Secret, "region", "us-east-1",
                        "endpoint", "http://127.0.0.1:1", "pathStyle", true));
                Reply created = appliance.post("accounts", Map.of("name", "vault-s3", "kind", "s3", "s3", s3), admin);
                replies.add(created);
                JsonNode account = appliance.expect(201, created);
                assertEquals(List.of("secretAccessKey"), List.of(account.path("secretsSet").get(0).asText()));
                replies.add(appliance.post("accounts", Map.of("name", "vault-az", "kind", "azure", "azure",
                        Map.of("accountName", "acct", "accountKey", azureKey, "endpoint", "http://127.0.0.1:1/acct")), admin));
                replies.add(appliance.post("accounts", Map.of("name", "vault-conn", "kind", "azure", "azure",
                        Map.of("connectionString", "DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=" + connectionKey
                                + ";BlobEndpoint=http://127.0.0.1:1/acct;")), admin));
                replies.add(appliance.post("accounts", Map.of("name", "vault-sas", "kind", "azure", "azure",
                        Map.of("accountName", "acct", "sasToken", sas, "endpoint", "http://127.0.0.1:1/acct")), admin));
                replies.forEach(r -> assertEquals(201, r.status(), r.toString()));

                // An update without the secret keeps it; one with a new secret replaces it.
                s3.remove("secretAccessKey");
                String id = account.path("id").asText();
                Reply kept = appliance.request("PUT", "/api/v1/accounts/" + id, appliance.write(Map.of("name", "vault-s3", "kind", "s3", "s3", s3)), admin);
                replies.add(kept);
                assertEquals("secretAccessKey", appliance.expect(200, kept).path("secretsSet").get(0).asText());
                s3.put("secretAccessKey", newS3Secret);
                replies.add(appliance.request("PUT", "/api/v1/accounts/" + id, appliance.write(Map.of("name", "vault-s3", "kind", "s3", "s3", s3)), admin));

                // A failing connection test reports the storage error, not the credentials.
                Reply test = appliance.post("accounts/" + id + "/test", Map.of("bucket", "b"), admin);
                replies.add(test);
                assertEquals(502, test.status(), test.toString());
                replies.add(appliance.get("accounts", admin));
                replies.add(appliance.get("accounts/" + id, admin));
                replies.add(appliance.get("accounts/vault-az", admin));
                replies.add(appliance.get("audit", admin));
                replies.add(appliance.get("accounts", appliance.userToken("viewer", "read-only")));
                for (Reply r : replies) {
                    for (String secret : secrets) {
                        assertFalse(r.body().contains(secret), "an answer holds a secret: " + r);
                    }
                }
                assertNoFileHolds(data, secrets);
            }
            assertNoFileHolds(data, secrets);
            List<String> lines = log.lines(e -> true);
            assertTrue(lines.stream().anyMatch(l -> l.contains("account.create")), "the capture saw the server's log: " + lines.size());
            for (String line : lines) {
                for (String secret : secrets) {
                    assertFalse(line.contains(secret), "a log line holds a secret: " + line);
                }
            }
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("master.key"))));
        assertTrue(Files.size(data.resolve("skyhaul.db")) > 0);
    }

    /** No file under {@code dir} (database, its journal, the master key, anything) holds a secret's bytes. */
    static void assertNoFileHolds(Path dir, List<String> secrets) throws Exception {
        List<Path> files;
        try (var walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("skyhaul.db")), files.toString());
        for (Path f : files) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertFalse(content.contains(secret), f + " holds a secret in clear");
            }
        }
    }
}
