package io.skyhaul.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.transport.session.TransferReport;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine-readable summary {@code --json} prints: one JSON object on one line. */
final class TransferSummary {
    /** Above this many files the per-file digests are left out of the summary. */
    static final int MAX_LISTED_DIGESTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TransferSummary() {
    }

    static String json(String direction, TransferReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("direction", direction);
        m.put("files", r.files());
        m.put("bytes", r.bytes());
        m.put("seconds", round(r.seconds(), 3));
        m.put("goodputMbps", round(r.goodputMbps(), 1));
        m.put("sentBytes", r.sentBytes());
        m.put("retransmittedBytes", r.retransmittedBytes());
        m.put("resumedBytes", r.resumedBytes());
        if (r.digests().size() == 1) {
            m.put("sha256", r.digests().values().iterator().next());
        }
        if (r.digests().size() <= MAX_LISTED_DIGESTS) {
            m.put("digests", r.digests());
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String human(String verb, TransferReport r) {
        String resumed = r.resumedBytes() > 0 ? ", " + ProgressBar.bytes(r.resumedBytes()) + " already there" : "";
        return String.format(java.util.Locale.ROOT, "%s %d file(s), %s in %.2f s (%s%s)", verb, r.files(), ProgressBar.bytes(r.bytes()), r.seconds(),
                ProgressBar.rate(r.goodputMbps() * 1e6 / 8), resumed);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
