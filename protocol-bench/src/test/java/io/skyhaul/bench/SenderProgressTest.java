package io.skyhaul.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SenderProgressTest {
    @TempDir
    Path tmp;

    /** A debug log of a sender moving {@code rate} bytes per second from {@code startMs}, one line per 200 ms, {@code total} bytes. */
    private Path log(String name, long startMs, double rate, long total) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("23:59:59.000 INFO  UdpChannels - noise");
        for (long t = startMs; ; t += 200) {
            long acked = (long) Math.min(total, Math.max(0, (t - startMs) / 1000.0 * rate));
            long wall = (23 * 3600 + 59 * 60 + 50) * 1000L + t;
            long ms = wall % 86_400_000L;
            lines.add(String.format(Locale.ROOT, "%02d:%02d:%02d.%03d DEBUG DataSender - session x: phase DATA window 1 B pacing 1.0 Mbit/s"
                    + " delivered 1.0 Mbit/s srtt 1 us base 1 us inflight 0 B retransmit queue 0 next 0 acked-to %d tokens 0 timer true",
                    ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000, acked));
            if (acked >= total) {
                break;
            }
        }
        Path p = tmp.resolve(name);
        Files.write(p, lines);
        return p;
    }

    @Test
    void sharesCoverOnlyTheTimeBothRanEvenAcrossMidnight() throws Exception {
        // A runs at 3 units/s from t=0, B at 1 unit/s from t=1 s; A finishes first, after which B is alone.
        SenderProgress a = SenderProgress.parse(log("a", 0, 3e6, 30_000_000));
        SenderProgress b = SenderProgress.parse(log("b", 1000, 1e6, 30_000_000));
        SenderProgress.Shares s = SenderProgress.shares(a, b, 0.1).orElseThrow();
        assertEquals(0.75, s.shareA(), 0.01);
        assertEquals(0.25, s.shareB(), 0.01);
        assertEquals(24.0, s.mbpsA(), 0.5);
        assertTrue(s.overlapSeconds() > 7 && s.overlapSeconds() < 9.1, "overlap " + s.overlapSeconds());
    }

    @Test
    void noSharesWithoutSamples() throws Exception {
        Path empty = tmp.resolve("empty");
        Files.writeString(empty, "nothing at debug level\n");
        SenderProgress none = SenderProgress.parse(empty);
        assertTrue(SenderProgress.shares(none, none, 0.1).isEmpty());
    }
}
