package io.skyhaul.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.TestFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a partner token's max rate capped uploads (the client sends at the rate the
 * manager grants) but not downloads, where the node is the sender and used its own settings.
 * The node now sends a download's session under the transfer's ceiling.
 */
@Timeout(120)
class PartnerDownloadRateTest {
    static final long SIZE = 4_000_000;
    /** Bits per second: 1 MB/s, so the download cannot take much less than 4 s. */
    static final long MAX_RATE = 8_000_000;

    @TempDir
    Path tmp;

    @Test
    void aPartnerDownloadIsSentNoFasterThanItsTokenAllows() throws Exception {
        try (RunningAppliance appliance = RunningAppliance.start(tmp.resolve("data"))) {
            Path file = TestFiles.randomFile(tmp.resolve("src/master.mxf"), SIZE, 31);
            appliance.upload(appliance.adminToken(), List.of(file), "local://local/inbox/deliveries/");
            String token = appliance.expect(201, appliance.post("partner-tokens", Map.of("name", "slow-partner", "location",
                    "local://local/inbox/deliveries/", "direction", "download", "expiresAt", Instant.now().plusSeconds(3600).toString(),
                    "maxRate", MAX_RATE), appliance.adminToken())).path("token").asText();

            RunningAppliance.Moved got = appliance.download(token, "local://local/inbox/deliveries/", tmp.resolve("got"));

            assertEquals(TestFiles.sha256(file), TestFiles.sha256(tmp.resolve("got/master.mxf")));
            assertEquals(MAX_RATE, got.transfer().path("maxRate").asLong(), got.transfer().toString());
            double floorSeconds = SIZE * 8.0 / MAX_RATE * 0.75;
            assertTrue(got.session().seconds() >= floorSeconds, "the session took " + got.session().seconds() + " s; at "
                    + MAX_RATE + " bit/s it cannot take less than about " + floorSeconds + " s");
        }
    }
}
