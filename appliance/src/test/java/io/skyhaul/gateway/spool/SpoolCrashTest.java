package io.skyhaul.gateway.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} at random moments: a child JVM ({@link SpoolCrashChild}) accepts bodies and
 * plays the uploader, and is killed with SIGKILL; the reopened spool must hold every entry the
 * child was told about, in the state its last returned call left it (or, for the one call in
 * flight, the state after it: never half of a batch), with intact bodies and no partial ones.
 */
class SpoolCrashTest {
    private static final int ROUNDS = 24;
    private static final long CHILD_MAX_MILLIS = 20_000;
    private static final int CHILD_MAX_BODIES = 5_000;

    @TempDir
    Path dir;

    /** An entry as the test expects it. */
    private record Expected(long size, String sha, SpoolEntry.State state, String transferId, String clientRef, int attempts, String lastError) {
        static Expected of(SpoolEntry e) {
            return new Expected(e.size(), e.sha256Hex(), e.state(), e.transferId(), e.clientRef(), e.attempts(), e.lastError());
        }
    }

    /** Pending entries in order, and the ids given up. */
    private record Model(LinkedHashMap<String, Expected> pending, Set<String> failed) {
        static Model of(Spool spool) {
            LinkedHashMap<String, Expected> p = new LinkedHashMap<>();
            spool.pending().forEach(e -> p.put(e.id(), Expected.of(e)));
            Set<String> f = new HashSet<>();
            spool.recentFailures().forEach(x -> f.add(x.id()));
            return new Model(p, f);
        }

        Model copy() {
            return new Model(new LinkedHashMap<>(pending), new HashSet<>(failed));
        }

        /** The model after the child's call {@code begin} ("BEGIN ..." split on spaces) returned. */
        Model after(String[] begin) {
            Model m = copy();
            List<String> ids = Arrays.asList(begin[begin.length - 1].split(","));
            for (String id : ids) {
                Expected e = m.pending.get(id);
                switch (begin[1]) {
                    case "UPLOADING" -> m.pending.put(id, new Expected(e.size, e.sha, SpoolEntry.State.UPLOADING, begin[2], begin[3], e.attempts, e.lastError));
                    case "RETRY" -> m.pending.put(id, new Expected(e.size, e.sha, SpoolEntry.State.QUEUED, null, null, e.attempts + 1, begin[2]));
                    case "UPLOADED" -> m.pending.remove(id);
                    case "FAILED" -> {
                        m.pending.remove(id);
                        m.failed.add(id);
                    }
                    default -> throw new AssertionError("unknown step " + String.join(" ", begin));
                }
            }
            return m;
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void noAcknowledgedEntryIsLostWhenTheGatewayIsKilledAtRandomMoments() throws Exception {
        Path spoolDir = dir.resolve("spool");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        Model model = new Model(new LinkedHashMap<>(), new HashSet<>());
        int acks = 0;
        int steps = 0;
        int inFlightAtKill = 0;
        long start = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            String label = "round " + round + " (seed " + seed + ")";
            Process child = startChild(spoolDir, logs, round, random.nextLong());
            Path out = logs.resolve("child-" + round + ".out");
            if (round % 4 == 0) {
                // Anywhere: JVM start, recovery, a compaction at open, the first accepts.
                Thread.sleep(random.nextInt(900));
            } else {
                awaitFirstAck(child, out, label);
                Thread.sleep(random.nextInt(400));
            }
            child.destroyForcibly();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                fail(label + ": the child survived SIGKILL for 10 s");
            }
            List<String> lines = completeLines(out);
            if (lines.contains("DONE") ? child.exitValue() != 0 : child.exitValue() != 137) {
                fail(label + ": child exited with " + child.exitValue() + ":\n" + Files.readString(logs.resolve("child-" + round + ".err")));
            }

            // Replay what the child was told; at most one step was in flight.
            String[] inFlight = null;
            for (String line : lines) {
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "OPEN", "DONE" -> { }
                    case "ACCEPT", "BEGIN" -> inFlight = w;
                    case "ACK" -> {
                        assertEquals(inFlight[1] + " " + inFlight[2], w[2] + " " + w[3], label + ": acknowledged what was sent");
                        model.pending.put(w[1], new Expected(Long.parseLong(w[2]), w[3], SpoolEntry.State.QUEUED, null, null, 0, null));
                        inFlight = null;
                        acks++;
                    }
                    case "END" -> {
                        model = model.after(inFlight);
                        inFlight = null;
                        steps++;
                    }
                    default -> fail(label + ": unexpected child output '" + line + "'");
                }
            }
            inFlightAtKill += inFlight != null ? 1 : 0;

            try (Spool spool = Spool.open(spoolDir, SpoolCrashChild.LIMITS, Clock.systemUTC())) {
                Model actual = Model.of(spool);
                assertEquals(List.of(), spool.recoveryReport().lost(), label);
                assertMatches(model, inFlight, actual, label);
                SpoolFixtures.assertIntact(spool, spoolDir);
                assertEquals(actual.pending.keySet().stream().sorted().toList(), SpoolFixtures.names(spoolDir.resolve("data")),
                        label + ": data files are exactly the pending entries");
                model = actual;
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        System.err.printf("SpoolCrashTest: %d rounds in %d s, %d acknowledged bodies, %d uploader steps, %d kills with a call in flight, seed %d%n",
                ROUNDS, seconds, acks, steps, inFlightAtKill, seed);
        assertTrue(acks >= ROUNDS, "too few acknowledged bodies to mean anything: " + acks);
        assertTrue(steps > 0, "the uploader never moved an entry");
    }

    /** The reopened spool shows the state after the last returned call, or after the one in flight too. */
    private static void assertMatches(Model expected, String[] inFlight, Model actual, String label) {
        if (sameInOrder(expected, actual)) {
            return;
        }
        if (inFlight != null && inFlight[0].equals("BEGIN") && sameInOrder(expected.after(inFlight), actual)) {
            return;
        }
        if (inFlight != null && inFlight[0].equals("ACCEPT") && actual.pending.size() == expected.pending.size() + 1) {
            // The acceptance in flight became durable before the kill: one more entry, last, with the body sent.
            List<Map.Entry<String, Expected>> entries = new ArrayList<>(actual.pending.entrySet());
            Map.Entry<String, Expected> extra = entries.get(entries.size() - 1);
            Model without = new Model(new LinkedHashMap<>(actual.pending), actual.failed);
            without.pending.remove(extra.getKey());
            if (sameInOrder(expected, without) && extra.getValue().size() == Long.parseLong(inFlight[1]) && extra.getValue().sha().equals(inFlight[2])
                    && extra.getValue().state() == SpoolEntry.State.QUEUED) {
                return;
            }
        }
        fail(label + ": the reopened spool shows\n  " + actual + "\nbut the child was told\n  " + expected
                + (inFlight == null ? "" : "\nwith '" + String.join(" ", inFlight) + "' in flight"));
    }

    private static boolean sameInOrder(Model a, Model b) {
        return new ArrayList<>(a.pending.entrySet()).equals(new ArrayList<>(b.pending.entrySet())) && a.failed.equals(b.failed);
    }

    /** Starts the child as ChildJvm starts the CLI: this test's class path, output in files. */
    private static Process startChild(Path spoolDir, Path logs, int round, long seed) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SpoolCrashChild.class.getName(), spoolDir.toString(), Long.toString(seed), Integer.toString(CHILD_MAX_BODIES),
                Long.toString(CHILD_MAX_MILLIS));
        return new ProcessBuilder(command)
                .redirectOutput(logs.resolve("child-" + round + ".out").toFile())
                .redirectError(logs.resolve("child-" + round + ".err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    private static void awaitFirstAck(Process child, Path out, String label) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (completeLines(out).stream().noneMatch(l -> l.startsWith("ACK "))) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly();
                fail(label + ": the child acknowledged nothing within 20 s" + (child.isAlive() ? "" : " (it exited)") + ":\n"
                        + Files.readString(out.resolveSibling(out.getFileName().toString().replace(".out", ".err"))));
            }
            Thread.sleep(10);
        }
    }

    /** The lines the child finished writing (a kill may cut the last one). */
    private static List<String> completeLines(Path out) throws IOException {
        String s = Files.readString(out, StandardCharsets.UTF_8);
        int end = s.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(s.substring(0, end).split("\n"));
    }
}
