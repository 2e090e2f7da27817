package io.skyhaul.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns JMH's JSON results ({@code -rf json -rff FILE}) into the Markdown tables of
 * docs/benchmarks.md: for the transfer benchmarks, the transport's goodput per iteration and over all
 * measured iterations, CPU seconds per GiB and the retransmitted share, from the additive
 * {@link TransferMetrics} counters;
 * for PacketProtection, operations per second and Gbit/s of plaintext.
 *
 * <pre>
 * java -cp protocol-bench/target/benchmarks.jar io.skyhaul.bench.jmh.JmhResultsPrinter relayed.json [more.json ...]
 * </pre>
 */
public final class JmhResultsPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JmhResultsPrinter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: JmhResultsPrinter RESULTS.json...");
            System.exit(2);
        }
        List<JsonNode> transfers = new ArrayList<>();
        List<JsonNode> throughputs = new ArrayList<>();
        for (String a : args) {
            for (JsonNode run : JSON.readTree(Path.of(a).toFile())) {
                (run.path("mode").asText().equals("ss") ? transfers : throughputs).add(run);
            }
        }
        if (!transfers.isEmpty()) {
            System.out.print(transferTable(transfers));
        }
        if (!throughputs.isEmpty()) {
            System.out.println();
            System.out.print(throughputTable(throughputs));
        }
    }

    static String transferTable(List<JsonNode> runs) {
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | RTT/loss | size | datagram | seconds per transfer | goodput Mbit/s (each iteration) | goodput Mbit/s (all) "
                + "| of (1−loss)×200 | CPU s/GiB | retransmitted % |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode run : runs) {
            JsonNode p = run.path("params");
            JsonNode m = run.path("secondaryMetrics");
            String name = shortName(run.path("benchmark").asText());
            boolean relayed = p.has("rttMillis");
            double loss = relayed ? p.path("lossPercent").asDouble() : 0;
            String link = relayed ? p.path("rttMillis").asText() + "ms/" + trim(loss) + "%" : "loopback";
            List<Double> mib = raw(m.path("fileMiB"));
            List<Double> seconds = raw(m.path("sessionSeconds"));
            StringBuilder each = new StringBuilder();
            for (int i = 0; i < Math.min(mib.size(), seconds.size()); i++) {
                each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", mbps(mib.get(i), seconds.get(i))));
            }
            double totalMiB = sum(mib);
            double goodput = mbps(totalMiB, sum(seconds));
            out.append(String.format(Locale.ROOT, "| %s | %s | %s MiB | %s B | %s | %s | %.1f | %s | %.1f | %.2f |\n", name, link,
                    p.path("sizeMiB").asText(), p.path("datagramSize").asText(), scoreWithError(run.path("primaryMetric")), each, goodput,
                    relayed ? String.format(Locale.ROOT, "%.2f", goodput / ((1 - loss / 100) * 200)) : "–",
                    sum(raw(m.path("cpuSeconds"))) / (totalMiB / 1024), 100 * sum(raw(m.path("retransmittedMiB"))) / totalMiB));
        }
        return out.toString();
    }

    private static double mbps(double mib, double seconds) {
        return mib * 1048576 * 8 / seconds / 1e6;
    }

    private static double sum(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }

    static String throughputTable(List<JsonNode> runs) {
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | plaintext bytes | ops/s | Gbit/s of plaintext |\n|---|---:|---:|---:|\n");
        for (JsonNode run : runs) {
            JsonNode m = run.path("primaryMetric");
            int bytes = run.path("params").path("plainBytes").asInt();
            double ops = m.path("score").asDouble();
            out.append(String.format(Locale.ROOT, "| %s | %d | %,.0f ± %,.0f | %.2f |\n", shortName(run.path("benchmark").asText()), bytes, ops,
                    m.path("scoreError").asDouble(), ops * bytes * 8 / 1e9));
        }
        return out.toString();
    }

    private static String scoreWithError(JsonNode metric) {
        double error = metric.path("scoreError").asDouble();
        return Double.isNaN(error) || error == 0 ? String.format(Locale.ROOT, "%.2f", metric.path("score").asDouble())
                : String.format(Locale.ROOT, "%.2f ± %.2f", metric.path("score").asDouble(), error);
    }

    /** The per-iteration values of a metric (JMH's rawData: one list per fork). */
    private static List<Double> raw(JsonNode metric) {
        List<Double> values = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode v : fork) {
                values.add(v.asDouble());
            }
        }
        return values;
    }

    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
