package io.skyhaul.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one-line JSON summary {@code skyhaul send --json} prints: bytes of file content, seconds
 * from the first packet to the receiver's result, retransmitted DATA bytes, and the SHA-256 the
 * sender computed.
 */
record SendSummary(long bytes, double seconds, double goodputMbps, long sentBytes, long retransmittedBytes, String sha256) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the summary from a sender's standard output (the last line that is a JSON object). */
    static SendSummary read(Path stdout) {
        try {
            String line = null;
            for (String l : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                if (l.startsWith("{")) {
                    line = l;
                }
            }
            if (line == null) {
                throw new BenchException("no JSON summary in " + stdout);
            }
            JsonNode n = JSON.readTree(line);
            return new SendSummary(n.path("bytes").asLong(), n.path("seconds").asDouble(), n.path("goodputMbps").asDouble(),
                    n.path("sentBytes").asLong(), n.path("retransmittedBytes").asLong(), n.path("sha256").asText(null));
        } catch (IOException e) {
            throw new BenchException("cannot read the JSON summary in " + stdout + ": " + e.getMessage(), e);
        }
    }

    /** Retransmitted DATA bytes as a percentage of the file bytes. */
    double retransmittedPercent() {
        return bytes == 0 ? 0 : 100.0 * retransmittedBytes / bytes;
    }
}
