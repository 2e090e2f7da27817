package io.skyhaul.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's report: one Markdown table with Skyhaul and TCP side by side per grid case, then
 * the two-session runs and the loopback run. Every figure comes from the same run.
 */
final class ResultsTable {
    /** A grid case's row: Skyhaul's result and the TCP copies by congestion control (empty when TCP did not run). */
    record Row(GridCase gridCase, long size, SkyhaulResult skyhaul, Map<String, TcpResult> tcp) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<PairResult> pairs = new ArrayList<>();
    private final int datagramSize;
    private SkyhaulResult loopback;
    private String tcpNote;
    private double tcpSeconds;

    ResultsTable(int datagramSize) {
        this.datagramSize = datagramSize;
    }

    void add(Row row) {
        rows.add(row);
    }

    void add(PairResult pair) {
        pairs.add(pair);
    }

    void loopback(SkyhaulResult result) {
        this.loopback = result;
    }

    void tcpNote(String note, double boundSeconds) {
        this.tcpNote = note;
        this.tcpSeconds = boundSeconds;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        if (!rows.isEmpty()) {
            out.append("| case (RTT/loss) | size | Skyhaul Mbit/s | of (1−loss)×200 | TCP-BBR Mbit/s | TCP-CUBIC Mbit/s | Skyhaul/BBR "
                    + "| Skyhaul/CUBIC | retransmitted % | probe timeouts | CPU s/GiB |\n");
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            boolean cut = false;
            for (Row r : rows) {
                SkyhaulResult s = r.skyhaul();
                TcpResult bbr = r.tcp().get("bbr");
                TcpResult cubic = r.tcp().get("cubic");
                cut |= (bbr != null && bbr.ok() && !bbr.complete()) || (cubic != null && cubic.ok() && !cubic.complete());
                out.append("| ").append(r.gridCase()).append(" | ").append(size(r.size())).append(" | ")
                        .append(s.ok() ? f1(s.mbps()) : "FAILED").append(" | ")
                        .append(s.ok() ? f2(s.mbps() / r.gridCase().lossFreeCapacityMbps()) : "–").append(" | ")
                        .append(tcp(bbr)).append(" | ").append(tcp(cubic)).append(" | ")
                        .append(ratio(s, bbr)).append(" | ").append(ratio(s, cubic)).append(" | ")
                        .append(s.ok() ? f2(s.retransmittedPercent()) : "–").append(" | ")
                        .append(s.ok() && s.probeTimeouts() >= 0 ? Long.toString(s.probeTimeouts()) : "–").append(" | ")
                        .append(s.ok() ? f1(s.cpuSecondsPerGiB()) : "–").append(" |\n");
            }
            if (cut) {
                out.append(String.format(Locale.ROOT, "\n† TCP copy stopped at its %.0f s bound before the whole file arrived; goodput = bytes received / time.\n",
                        tcpSeconds));
            }
            if (tcpNote != null) {
                out.append("\nTCP: ").append(tcpNote).append('\n');
            }
        }
        if (!pairs.isEmpty() || loopback != null) {
            out.append('\n');
        }
        for (PairResult p : pairs) {
            out.append(pairLine(p)).append('\n');
        }
        if (loopback != null) {
            out.append(loopback.ok()
                    ? String.format(Locale.ROOT, "- loopback, no relay, encryption on, %,d-byte datagrams: %.1f Mbit/s (%s, %.1f CPU s/GiB)",
                            datagramSize, loopback.mbps(), size(loopback.summary().bytes()), loopback.cpuSecondsPerGiB())
                    : "- loopback: FAILED: " + loopback.failure()).append('\n');
        }
        List<String> failures = failures();
        if (!failures.isEmpty()) {
            out.append("\nFailures:\n");
            failures.forEach(f -> out.append("- ").append(f).append('\n'));
        }
        return out.toString();
    }

    /** Every failed transfer, with the reason. */
    List<String> failures() {
        List<String> f = new ArrayList<>();
        for (Row r : rows) {
            if (!r.skyhaul().ok()) {
                f.add("Skyhaul " + r.gridCase() + ": " + r.skyhaul().failure());
            }
            r.tcp().values().stream().filter(t -> !t.ok()).forEach(t -> f.add("TCP-" + t.congestionControl() + " " + r.gridCase() + ": " + t.failure()));
        }
        for (PairResult p : pairs) {
            for (SkyhaulResult s : List.of(p.a(), p.b())) {
                if (!s.ok()) {
                    f.add(s.label() + ": " + s.failure());
                }
            }
        }
        if (loopback != null && !loopback.ok()) {
            f.add("loopback: " + loopback.failure());
        }
        return f;
    }

    static String pairLine(PairResult p) {
        String head = String.format(Locale.ROOT, "- %s (%s + %s, one relay %s, 200 Mbit/s): ", p.label(), p.policyA(), p.policyB(), p.link());
        if (!p.ok()) {
            return head + "FAILED";
        }
        String totals = String.format(Locale.ROOT, "whole transfers %.1f + %.1f Mbit/s", p.a().mbps(), p.b().mbps());
        return p.shares().map(s -> head + String.format(Locale.ROOT, "shares while both ran %.0f%% (%s, %.1f Mbit/s) / %.0f%% (%s, %.1f Mbit/s) "
                + "over %.1f s; %s", 100 * s.shareA(), p.policyA(), s.mbpsA(), 100 * s.shareB(), p.policyB(), s.mbpsB(), s.overlapSeconds(), totals))
                .orElse(head + "shares unavailable (overlap too short or no debug samples); " + totals);
    }

    private static String tcp(TcpResult t) {
        if (t == null) {
            return "n/a";
        }
        if (!t.ok()) {
            return "FAILED";
        }
        return f1(t.mbps()) + (t.complete() ? "" : " †");
    }

    private static String ratio(SkyhaulResult s, TcpResult t) {
        if (!s.ok() || t == null || !t.ok() || !(t.mbps() > 0)) {
            return "–";
        }
        double r = s.mbps() / t.mbps();
        return r >= 100 ? String.format(Locale.ROOT, "%.0f×", r) : f2(r) + "×";
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
