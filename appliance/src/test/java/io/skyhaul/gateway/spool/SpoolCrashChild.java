package io.skyhaul.gateway.spool;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The process {@link SpoolCrashTest} kills: it accepts bodies into a spool and plays the
 * uploader, printing each step to standard output only once the call returned, with a line
 * before each call too so the test knows which single step was in flight when it died.
 *
 * <pre>
 * OPEN n                           the spool opened with n pending entries
 * ACCEPT size sha                  about to accept a body
 * ACK id size sha                  accept returned
 * BEGIN UPLOADING transfer ref ids | BEGIN RETRY error ids | BEGIN UPLOADED transfer ids | BEGIN FAILED reason id
 * END                              the call begun last returned
 * DONE                             the loop ended on its own (count or time)
 * </pre>
 *
 * Arguments: spool directory, seed, most bodies, most milliseconds.
 */
public final class SpoolCrashChild {
    /** Compacts every few changes so that kills land in compactions too. */
    static final SpoolLimits LIMITS = SpoolLimits.defaults().withCompactionMinDeadRecords(8).withMaxRecentFailures(100_000);

    private SpoolCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int maxBodies = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000;
        SplittableRandom random = new SplittableRandom(seed);
        try (Spool spool = Spool.open(dir, LIMITS, Clock.systemUTC())) {
            say("OPEN " + spool.pending().size());
            for (int i = 0; i < maxBodies && System.nanoTime() < deadline; i++) {
                byte[] body = SpoolFixtures.body(random.nextInt(10) == 0 ? random.nextInt(256 << 10) : random.nextInt(16 << 10), random.nextLong());
                String sha = SpoolFixtures.sha256(body);
                say("ACCEPT " + body.length + " " + sha);
                SpoolEntry e = spool.accept("s3://crash/bucket/", "run-" + seed + "/" + i, body.length, random.nextBoolean() ? sha : null,
                        new ByteArrayInputStream(body));
                say("ACK " + e.id() + " " + e.size() + " " + e.sha256Hex());
                playUploader(spool, random, seed + "-" + i);
            }
            say("DONE");
        }
    }

    private static void playUploader(Spool spool, SplittableRandom random, String step) throws Exception {
        List<SpoolEntry> queued = spool.pending().stream().filter(e -> e.state() == SpoolEntry.State.QUEUED).limit(3).toList();
        List<SpoolEntry> uploading = spool.pending().stream().filter(e -> e.state() == SpoolEntry.State.UPLOADING).limit(3).toList();
        int dice = random.nextInt(10);
        if (dice < 3 && !queued.isEmpty()) {
            String transfer = "T" + step;
            say("BEGIN UPLOADING " + transfer + " ref-" + step + " " + ids(queued));
            spool.uploading(queued.stream().map(SpoolEntry::id).toList(), transfer, "ref-" + step);
        } else if (dice < 5 && !uploading.isEmpty()) {
            String transfer = uploading.get(0).transferId();
            say("BEGIN UPLOADED " + transfer + " " + ids(uploading));
            spool.uploaded(uploading.stream().map(SpoolEntry::id).toList(), transfer);
        } else if (dice < 6 && !uploading.isEmpty()) {
            say("BEGIN RETRY error-" + step + " " + ids(uploading));
            spool.retry(uploading.stream().map(SpoolEntry::id).toList(), "error-" + step);
        } else if (dice < 7 && !queued.isEmpty()) {
            say("BEGIN FAILED refused-" + step + " " + queued.get(0).id());
            spool.failed(queued.get(0).id(), "refused-" + step);
        } else {
            return;
        }
        say("END");
    }

    private static String ids(List<SpoolEntry> entries) {
        return entries.stream().map(SpoolEntry::id).collect(Collectors.joining(","));
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
