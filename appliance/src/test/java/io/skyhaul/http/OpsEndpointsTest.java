package io.skyhaul.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.http.resources.OpenApiResource;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import io.skyhaul.testing.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What load balancers and monitoring read without a token, and the API's OpenAPI document. */
@Timeout(60)
class OpsEndpointsTest {
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

    @Test
    void healthAndReadinessAnswerWithoutAToken() {
        Reply health = appliance.request("GET", "/healthz", null, null);
        assertEquals(200, health.status(), health.toString());
        assertEquals("ok\n", health.body());
        Reply ready = appliance.request("GET", "/readyz", null, null);
        assertEquals(200, ready.status(), ready.toString());
        assertTrue(ready.body().contains("database ok"), ready.body());
    }

    @Test
    void metricsCountAFinishedTransfer() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("m/metered.bin"), 250_000, 1);
        appliance.upload(appliance.adminToken(), List.of(file), "local://local/inbox/metrics/");
        Reply metrics = appliance.request("GET", "/metrics", null, null);
        assertEquals(200, metrics.status(), metrics.toString());
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        String text = metrics.body();
        assertTrue(Pattern.compile("(?m)^skyhaul_transfers_total\\{[^}]*direction=\"upload\"[^}]*outcome=\"done\"[^}]*} 1(\\.0)?$").matcher(text).find(),
                text);
        assertTrue(Pattern.compile("(?m)^skyhaul_transfer_bytes_total\\{[^}]*direction=\"upload\"[^}]*} 250000(\\.0)?$").matcher(text).find(), text);
        assertTrue(Pattern.compile("(?m)^skyhaul_transfer_goodput_mbps_count 1(\\.0)?$").matcher(text).find(), "the name docs/api.md gives: " + text);
        assertTrue(Pattern.compile("(?m)^skyhaul_dropped_datagrams\\{[^}]*reason=\"forged\"").matcher(text).find(), text);
    }

    /** Needs the OpenAPI document at {@value OpenApiResource#RESOURCE}; skipped (not failed) in a tree that does not have it yet. */
    @Test
    void theOpenApiDocumentIsServedToAnyone() throws Exception {
        Assumptions.assumeTrue(OpenApiResource.class.getResource(OpenApiResource.RESOURCE) != null,
                "the OpenAPI document " + OpenApiResource.RESOURCE + " is not in this tree yet");
        Reply r = appliance.request("GET", "/api/v1/openapi.json", null, null);
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode doc = r.json();
        assertTrue(doc.path("openapi").asText().startsWith("3."), doc.path("openapi").toString());
        assertTrue(doc.path("paths").has("/transfers") || doc.path("paths").has("/api/v1/transfers"), doc.path("paths").toString());
    }
}
