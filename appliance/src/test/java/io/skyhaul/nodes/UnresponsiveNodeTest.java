package io.skyhaul.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import io.skyhaul.testing.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that registered but takes no work (it never polls for tasks): a transfer allocated to it
 * fails after {@code ASSIGN_TIMEOUT} with a 503 naming the node, and a partner's reserved quota is
 * given back once — not twice, which would also erase another open transfer's reservation.
 */
@Timeout(90)
class UnresponsiveNodeTest {
    @TempDir
    Path tmp;

    @Test
    void aTransferItsNodeDoesNotTakeFailsWith503AndReturnsTheQuotaOnce() throws Exception {
        try (RunningAppliance appliance = RunningAppliance.start(tmp.resolve("data"))) {
            String admin = appliance.adminToken();
            JsonNode token = appliance.expect(201, appliance.post("partner-tokens", Map.of("name", "acme", "location", "local://local/inbox/acme/",
                    "direction", "upload", "expiresAt", Instant.now().plusSeconds(3600).toString()), admin));
            String partner = token.path("token").asText();
            String tokenId = token.path("details").path("id").asText();
            Path first = TestFiles.randomFile(tmp.resolve("src/first.bin"), 100, 1);
            Path second = TestFiles.randomFile(tmp.resolve("src/second.bin"), 50, 2);
            appliance.expect(201, appliance.createUpload(partner, List.of(first), "local://local/inbox/acme/"));

            String key = appliance.expect(201, appliance.post("node-keys", Map.of("name", "mute"), admin)).path("key").asText();
            String ticketKey = Base64.getEncoder().encodeToString(new byte[32]);
            HttpResponse<String> registered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(appliance.baseUrl()
                    + "/api/v1/node/register")).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(appliance.write(Map.of("publicAddress", "127.0.0.1:9", "maxSessions", 4,
                            "ticketKey", ticketKey)))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, registered.statusCode(), registered.body());
            appliance.expect(200, appliance.post("nodes/local/drain", null, admin));

            Reply refused = appliance.createUpload(partner, List.of(second), "local://local/inbox/acme/");
            assertEquals(503, refused.status(), refused.toString());
            assertTrue(refused.json().path("detail").asText().contains("node mute did not take the transfer within 10 s"), refused.toString());

            JsonNode usage = appliance.expect(200, appliance.get("partner-tokens/" + tokenId, admin));
            assertEquals(100, usage.path("bytesUsed").asLong(), "only the open first transfer stays reserved: " + usage);
            assertEquals(1, usage.path("filesUsed").asLong(), usage.toString());
            JsonNode log = appliance.expect(200, appliance.get("transfers?state=failed", admin));
            assertEquals(1, log.size(), log.toString());
            assertEquals("mute", log.get(0).path("nodeName").asText());
            assertTrue(log.get(0).path("error").asText().contains("did not take the transfer"), log.toString());
        }
    }
}
