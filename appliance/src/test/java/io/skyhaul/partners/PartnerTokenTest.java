package io.skyhaul.partners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import io.skyhaul.testing.S3MockServer;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.session.TransportSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partner with a token moves data only inside its scope, direction, quotas and lifetime; every
 * refusal is a 403 problem with the reason, and nothing is written. The partner never learns the
 * account's keys.
 */
@Timeout(120)
class PartnerTokenTest {
    static final String SCOPE = "local://local/inbox/acme/";

    @TempDir
    static Path tmp;
    static RunningAppliance appliance;

    @BeforeAll
    static void start() throws Exception {
        appliance = RunningAppliance.start(tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        appliance.close();
    }

    /** Issues a token; returns the answer (token and details). */
    static JsonNode issue(String name, String location, String direction, Instant expiresAt, Long maxBytes, Long maxFiles) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("location", location);
        r.put("direction", direction);
        r.put("expiresAt", expiresAt.toString());
        if (maxBytes != null) {
            r.put("maxBytes", maxBytes);
        }
        if (maxFiles != null) {
            r.put("maxFiles", maxFiles);
        }
        JsonNode issued = appliance.expect(201, appliance.post("partner-tokens", r, appliance.adminToken()));
        assertTrue(issued.path("token").asText().startsWith("shp_"), issued.toString());
        return issued;
    }

    static Instant inAnHour() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    /** A 403 problem whose detail contains {@code reason}. */
    static JsonNode assertForbidden(Reply reply, String reason) {
        assertEquals(403, reply.status(), reply.toString());
        assertTrue(reply.isProblem(), reply.toString());
        JsonNode p = reply.json();
        assertTrue(p.path("detail").asText().contains(reason), "detail should name '" + reason + "': " + p);
        return p;
    }

    static JsonNode usage(JsonNode issued) {
        return appliance.expect(200, appliance.get("partner-tokens/" + issued.path("details").path("id").asText(), appliance.adminToken()));
    }

    @Test
    void uploadsInsideItsPrefixAndCountsUsage() throws Exception {
        JsonNode issued = issue("acme-dailies", SCOPE, "upload", inAnHour(), 1_000_000L, 10L);
        String token = issued.path("token").asText();
        JsonNode me = appliance.expect(200, appliance.get("auth/whoami", token));
        assertEquals("partner", me.path("kind").asText());
        assertEquals("acme-dailies", me.path("name").asText());

        Path file = TestFiles.randomFile(tmp.resolve("inside/day1.mov"), 70_000, 1);
        RunningAppliance.Moved moved = appliance.upload(token, List.of(file), SCOPE + "day1/");
        assertEquals("partner", moved.transfer().path("actorKind").asText());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(appliance.localBucket("inbox").resolve("acme/day1/day1.mov")));
        JsonNode t = usage(issued);
        assertEquals(70_000, t.path("bytesUsed").asLong());
        assertEquals(1, t.path("filesUsed").asLong());

        // The partner sees its own transfers only.
        JsonNode list = appliance.expect(200, appliance.get("transfers", token));
        assertEquals(1, list.size(), list.toString());
        assertEquals(moved.id(), list.get(0).path("id").asText());
    }

    @Test
    void leavingThePrefixIsForbiddenAndWritesNothing() throws Exception {
        String token = issue("acme-scope", SCOPE, "both", inAnHour(), null, null).path("token").asText();
        Path file = TestFiles.randomFile(tmp.resolve("outside/escape.bin"), 1_000, 2);
        for (String outside : List.of("local://local/inbox/", "local://local/inbox/other/", "local://local/inbox/acme-evil/",
                "local://local/elsewhere/acme/")) {
            assertForbidden(appliance.createUpload(token, List.of(file), outside), "limited to " + SCOPE);
        }
        // A path that climbs out of the prefix is refused as invalid before anything else.
        Reply climb = appliance.post("transfers", Map.of("direction", "upload", "location", SCOPE,
                "files", List.of(Map.of("path", "../other/escape.bin", "size", 1000))), token);
        assertEquals(400, climb.status(), climb.toString());
        assertForbidden(appliance.get("objects?location=" + java.net.URLEncoder.encode("local://local/inbox/", "UTF-8"), token),
                "limited to " + SCOPE);
        Path inbox = appliance.localBucket("inbox");
        try (var walk = Files.walk(inbox)) {
            assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().equals("escape.bin")).toList(), "nothing written");
        }
    }

    @Test
    void anUploadOnlyTokenCannotDownload() throws Exception {
        JsonNode issued = issue("acme-up", SCOPE, "upload", inAnHour(), null, null);
        String token = issued.path("token").asText();
        Path file = TestFiles.randomFile(tmp.resolve("up-only/a.bin"), 1_000, 3);
        appliance.upload(token, List.of(file), SCOPE + "up-only/");
        Reply download = appliance.post("transfers", Map.of("direction", "download", "location", SCOPE + "up-only/"), token);
        JsonNode p = assertForbidden(download, "allows upload only");
        assertEquals("/problems/forbidden", p.path("type").asText());
        assertEquals(1, usage(issued).path("filesUsed").asLong(), "the refused download reserved nothing");
    }

    @Test
    void exceedingTheByteOrFileQuotaIsForbidden() throws Exception {
        JsonNode issued = issue("acme-quota", SCOPE, "upload", inAnHour(), 50_000L, 2L);
        String token = issued.path("token").asText();
        Path big = TestFiles.randomFile(tmp.resolve("quota/big.bin"), 50_001, 4);
        JsonNode p = assertForbidden(appliance.createUpload(token, List.of(big), SCOPE + "q/"), "quota exceeded");
        assertEquals("/problems/quota-exceeded", p.path("type").asText());

        Path three = tmp.resolve("quota/three");
        for (int i = 0; i < 3; i++) {
            TestFiles.randomFile(three.resolve("f" + i), 10, 10 + i);
        }
        p = assertForbidden(appliance.createUpload(token, List.of(three), SCOPE + "q/"), "quota exceeded");
        assertEquals("/problems/quota-exceeded", p.path("type").asText());
        assertFalse(Files.exists(appliance.localBucket("inbox").resolve("acme/q")), "nothing written");
        JsonNode t = usage(issued);
        assertEquals(0, t.path("bytesUsed").asLong());
        assertEquals(0, t.path("filesUsed").asLong());

        // Within quota it works, and then the rest of the quota is what is left.
        Path two = tmp.resolve("quota/two");
        TestFiles.randomFile(two.resolve("a"), 20_000, 20);
        TestFiles.randomFile(two.resolve("b"), 20_000, 21);
        appliance.upload(token, List.of(two), SCOPE + "q/");
        Path one = TestFiles.randomFile(tmp.resolve("quota/one.bin"), 10, 22);
        assertForbidden(appliance.createUpload(token, List.of(one), SCOPE + "q/"), "quota exceeded");
    }

    /** The quota is decided on the files declared; a client that sends more than it declared stores nothing. */
    @Test
    void sendingMoreThanDeclaredStoresNothing() throws Exception {
        JsonNode issued = issue("acme-liar", SCOPE, "upload", inAnHour(), 10_000L, 5L);
        String token = issued.path("token").asText();
        Path file = TestFiles.randomFile(tmp.resolve("liar/huge.bin"), 300_000, 5);
        Map<String, Object> request = new LinkedHashMap<>(RunningAppliance.uploadRequest(List.of(file), SCOPE + "liar/"));
        request.put("files", List.of(Map.of("path", "huge.bin", "size", 1_000)));
        JsonNode created = appliance.expect(201, appliance.post("transfers", request, token));
        String id = created.path("transfer").path("id").asText();
        try {
            RunningAppliance.send(created, List.of(file), TransportSettings.defaults());
        } catch (io.skyhaul.transport.session.TransferException e) {
            // The node may also refuse the session itself; either way the transfer must fail.
        }
        JsonNode end = appliance.awaitFinal(id, token);
        assertEquals("failed", end.path("transfer").path("state").asText(), end.toString());
        assertFalse(Files.exists(appliance.localBucket("inbox").resolve("acme/liar")), "nothing written");
        assertEquals(0, usage(issued).path("bytesUsed").asLong(), "a failed transfer gives its reservation back");
    }

    @Test
    void aRevokedTokenIsRefusedWithTheReason() throws Exception {
        JsonNode issued = issue("acme-revoked", SCOPE, "both", inAnHour(), null, null);
        String token = issued.path("token").asText();
        appliance.expect(200, appliance.get("auth/whoami", token));
        JsonNode revoked = appliance.expect(200, appliance.request("DELETE", "/api/v1/partner-tokens/" + issued.path("details").path("id").asText(),
                null, appliance.adminToken()));
        assertTrue(revoked.hasNonNull("revokedAt"), revoked.toString());
        Path file = TestFiles.randomFile(tmp.resolve("revoked/a.bin"), 100, 6);
        assertForbidden(appliance.createUpload(token, List.of(file), SCOPE), "revoked");
        assertForbidden(appliance.get("auth/whoami", token), "revoked");
    }

    @Test
    void anExpiredTokenIsRefusedWithTheReason() throws Exception {
        Instant expiry = Instant.now().plusSeconds(2);
        String token = issue("acme-expiring", SCOPE, "upload", expiry, null, null).path("token").asText();
        appliance.expect(200, appliance.get("auth/whoami", token));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Reply r = appliance.get("auth/whoami", token);
        while (r.status() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = appliance.get("auth/whoami", token);
        }
        assertForbidden(r, "expired");
        assertFalse(Instant.now().isBefore(expiry), "refused only once expired");
        Path file = TestFiles.randomFile(tmp.resolve("expired/a.bin"), 100, 7);
        assertForbidden(appliance.createUpload(token, List.of(file), SCOPE), "expired");
    }

    @Test
    void aCancelledTransferGivesItsReservationBack() throws Exception {
        JsonNode issued = issue("acme-cancel", SCOPE, "upload", inAnHour(), 5_000L, 1L);
        String token = issued.path("token").asText();
        Path file = TestFiles.randomFile(tmp.resolve("cancel/a.bin"), 5_000, 8);
        String id = appliance.expect(201, appliance.createUpload(token, List.of(file), SCOPE)).path("transfer").path("id").asText();
        assertEquals(5_000, usage(issued).path("bytesUsed").asLong());
        assertEquals("cancelled", appliance.expect(200, appliance.post("transfers/" + id + "/cancel", null, token)).path("transfer")
                .path("state").asText());
        assertEquals(0, usage(issued).path("bytesUsed").asLong());
        assertEquals(0, usage(issued).path("filesUsed").asLong());
    }

    @Test
    void aPartnerNeverSeesTheAccountsKeys() throws Exception {
        S3MockServer s3 = S3MockServer.shared();
        String bucket = s3.createBucket(S3MockServer.uniqueBucketName("partner"));
        JsonNode account = appliance.createS3Account("partner-s3", s3);
        String secret = s3.account().secretAccessKey();
        JsonNode issued = issue("acme-s3", "s3://partner-s3/" + bucket + "/acme/", "both", inAnHour(), null, null);
        String token = issued.path("token").asText();
        List<Reply> seen = new ArrayList<>();
        seen.add(appliance.get("accounts", token));
        seen.add(appliance.get("accounts/" + account.path("id").asText(), token));
        seen.add(appliance.get("partner-tokens", token));
        seen.add(appliance.get("audit", token));
        seen.add(appliance.get("users", token));
        for (Reply r : seen) {
            assertForbidden(r, "partner token cannot");
        }
        Path file = TestFiles.randomFile(tmp.resolve("s3/clip.mxf"), 123_456, 9);
        Reply created = appliance.createUpload(token, List.of(file), "s3://partner-s3/" + bucket + "/acme/in/");
        JsonNode c = appliance.expect(201, created);
        seen.add(created);
        RunningAppliance.send(c, List.of(file), TransportSettings.defaults());
        String id = c.path("transfer").path("id").asText();
        appliance.awaitState(id, "done", token);
        seen.add(appliance.get("transfers/" + id, token));
        seen.add(appliance.get("transfers", token));
        seen.add(appliance.get("objects?location=" + java.net.URLEncoder.encode("s3://partner-s3/" + bucket + "/acme/", "UTF-8"), token));
        seen.add(appliance.get("auth/whoami", token));
        for (Reply r : seen) {
            assertFalse(r.body().contains(secret), "a partner's answer holds the account secret: " + r);
        }
        assertEquals(TestFiles.sha256(file), s3.client().headObject(b -> b.bucket(bucket).key("acme/in/clip.mxf")).metadata().get("sha256"));
    }
}
