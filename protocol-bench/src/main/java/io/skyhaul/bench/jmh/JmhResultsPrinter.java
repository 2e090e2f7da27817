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
 * docs/benchmarks.md: for the transfer benchmarks, goodput per iteration and on average (file size
 * over the iteration's time, and the transport's own figure), CPU per GiB and retransmitted share;
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
        out.append("| benchmark | RTT/loss | size | datagram | seconds per transfer | goodput Mbit/s (each iteration) | goodput Mbit/s (mean) "
                + "| of (1−loss)×200 | CPU s/GiB | retransmitted % |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode run : runs) {
            JsonNode p = run.path("params");
            String name = shortName(run.path("benchmark").asText());
            boolean relayed = p.has("rttMillis");
            double loss = relayed ? p.path("lossPercent").asDouble() : 0;
            String link = relayed ? p.path("rttMillis").asText() + "ms/" + trim(loss) + "%" : "loopback";
            List<Double> goodputs = raw(run.path("secondaryMetrics").path("goodputMbps"));
            double mean = goodputs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            StringBuilder each = new StringBuilder();
            goodputs.forEach(g -> each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", g)));
            out.append(String.format(Locale.ROOT, "| %s | %s | %s MiB | %s B | %s | %s | %.1f | %s | %.1f | %.2f |\n", name, link,
                    p.path("sizeMiB").asText(), p.path("datagramSize").asText(),
                    scoreWithError(run.path("primaryMetric")), each, mean,
                    relayed ? String.format(Locale.ROOT, "%.2f", mean / ((1 - loss / 100) * 200)) : "–",
                    mean(run.path("secondaryMetrics").path("cpuSecondsPerGiB")), mean(run.path("secondaryMetrics").path("retransmittedPercent"))));
        }
        return out.toString();
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

    private static double mean(JsonNode metric) {
        return raw(metric).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
