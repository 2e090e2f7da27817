package io.skyhaul.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import io.skyhaul.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node key holder can send that it should not: malformed registrations, reports of an
 * unknown kind or missing their fields, reports about another node's transfer, requests before
 * registering, user endpoints, a revoked key. Each gets a clear problem (or is ignored, for
 * another node's transfer) and changes nothing.
 */
@Timeout(90)
class NodeChannelInputTest {
    static final String VALID_TICKET_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    static Path tmp;
    static RunningAppliance appliance;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        appliance = RunningAppliance.start(tmp.resolve("data"));
        admin = appliance.adminToken();
    }

    @AfterAll
    static void stop() {
        appliance.close();
    }

    static String issue(String name) {
        return appliance.expect(201, appliance.post("node-keys", Map.of("name", name), admin)).path("key").asText();
    }

    static Reply node(String method, String path, Object body, String key) {
        return appliance.request(method, "/api/v1/" + path, body == null ? null : appliance.write(body), key);
    }

    static TreeSet<String> fields(Reply r) {
        TreeSet<String> out = new TreeSet<>();
        r.json().path("errors").forEach(e -> out.add(e.path("field").asText()));
        return out;
    }

    @Test
    void aMalformedRegistrationNamesEachField() {
        String key = issue("malformed");
        Reply r = node("POST", "node/register", Map.of("publicAddress", "no port", "maxSessions", 0, "ticketKey", "short"), key);
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.isProblem(), r.toString());
        assertEquals(new TreeSet<>(List.of("publicAddress", "maxSessions", "ticketKey")), fields(r), r.toString());
        Reply unknown = node("POST", "node/register", "{\"publicAddress\":\"127.0.0.1:7400\",\"maxSessions\":1,\"ticketKey\":\""
                + VALID_TICKET_KEY + "\",\"admin\":true}", key);
        assertEquals(400, unknown.status(), unknown.toString());
        assertEquals(0, appliance.expect(200, appliance.get("nodes", admin)).findValuesAsText("name").stream()
                .filter("malformed"::equals).count(), "nothing registered");
    }

    @Test
    void beforeRegisteringTheChannelAnswers409RegisterAgain() {
        String key = issue("early");
        Reply r = node("POST", "node/heartbeat", Map.of("sessions", 0, "throughputBps", 0, "cpuLoad", 0.0), key);
        assertEquals(409, r.status(), r.toString());
        assertTrue(r.json().path("detail").asText().contains("register again"), r.toString());
        assertEquals(409, node("GET", "node/tasks?waitSeconds=0", null, key).status());
    }

    @Test
    void badReportsAreRefusedAndAnotherNodesTransferIsUntouched() throws Exception {
        String key = issue("reporter");
        assertEquals(200, node("POST", "node/register", Map.of("publicAddress", "127.0.0.1:9", "maxSessions", 1, "ticketKey", VALID_TICKET_KEY),
                key).status());
        Reply unknownType = node("POST", "node/reports", Map.of("reports", List.of(Map.of("type", "bogus", "transferId", "x"))), key);
        assertEquals(400, unknownType.status(), unknownType.toString());
        assertEquals(new TreeSet<>(List.of("reports[0].type")), fields(unknownType), unknownType.toString());
        Reply missing = node("POST", "node/reports", Map.of("reports", List.of(Map.of("type", "stored", "transferId", "x"))), key);
        assertEquals(400, missing.status(), missing.toString());
        assertEquals(new TreeSet<>(List.of("reports[0].objects")), fields(missing), missing.toString());

        // A transfer of the embedded node: the other node's reports about it change nothing.
        Path file = TestFiles.randomFile(tmp.resolve("src/mine.bin"), 1000, 3);
        appliance.expect(200, appliance.post("nodes/reporter/drain", null, admin));
        JsonNode created = appliance.expect(201, appliance.createUpload(admin, List.of(file), "local://local/inbox/mine/"));
        String id = created.path("transfer").path("id").asText();
        assertEquals("local", created.path("transfer").path("nodeName").asText());
        List<Map<String, Object>> forged = new ArrayList<>();
        forged.add(Map.of("type", "failed", "transferId", id, "error", "IO", "message", "forged"));
        forged.add(Map.of("type", "session-ended", "transferId", id, "session", Map.of("bytes", 1, "retransmittedBytes", 0, "seconds", 1.0,
                "digests", Map.of(), "failure", "forged")));
        assertEquals(204, node("POST", "node/reports", Map.of("reports", forged), key).status());
        JsonNode t = appliance.expect(200, appliance.get("transfers/" + id, admin)).path("transfer");
        assertEquals("waiting", t.path("state").asText(), t.toString());
        RunningAppliance.send(created, List.of(file), io.skyhaul.transport.session.TransportSettings.defaults());
        assertEquals("done", appliance.awaitState(id, "done", admin).path("transfer").path("state").asText());
    }

    @Test
    void aNodeKeyOpensNoUserEndpointAndARevokedKeyNothing() {
        String key = issue("narrow");
        Reply user = appliance.get("transfers", key);
        assertEquals(403, user.status(), user.toString());
        assertTrue(user.json().path("detail").asText().contains("only opens the node channel"), user.toString());
        String id = appliance.expect(200, appliance.get("node-keys", admin)).findParents("name").stream()
                .filter(k -> k.path("name").asText().equals("narrow")).findFirst().orElseThrow().path("id").asText();
        appliance.expect(200, appliance.request("DELETE", "/api/v1/node-keys/" + id, null, admin));
        Reply revoked = node("POST", "node/register", Map.of("publicAddress", "127.0.0.1:9", "maxSessions", 1, "ticketKey", VALID_TICKET_KEY), key);
        assertEquals(401, revoked.status(), revoked.toString());
        assertTrue(revoked.json().path("detail").asText().contains("unknown or revoked"), revoked.toString());
        String renewed = issue("narrow");
        assertEquals(200, node("POST", "node/register", Map.of("publicAddress", "127.0.0.1:9", "maxSessions", 1, "ticketKey", VALID_TICKET_KEY),
                renewed).status(), "after a revocation the name takes a new key");
        assertEquals(401, node("POST", "node/register", Map.of("publicAddress", "127.0.0.1:9", "maxSessions", 1, "ticketKey", VALID_TICKET_KEY),
                key).status(), "the revoked key stays refused");
        appliance.expect(200, appliance.post("nodes/narrow/drain", null, admin));
        Reply operator = appliance.post("node-keys", Map.of("name", "by-operator"), appliance.userToken("ops", "operator"));
        assertEquals(403, operator.status(), "issuing node keys is for admins: " + operator);
        Reply embeddedName = appliance.post("node-keys", Map.of("name", "local"), admin);
        assertEquals(409, embeddedName.status(), "the embedded node's name cannot be taken: " + embeddedName);
    }
}
