package io.skyhaul.bench;

import io.skyhaul.linkem.Units;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one bench run does, validated at start-up; every default is here, for the full run and for
 * {@code --quick} (a few small cases for CI, under two minutes in all).
 *
 * @param repo             source checkout: {@code bin/skyhaul}, {@code protocol-bench/target/linkem.jar}, {@code benchmarks.jar}
 * @param quick            the CI smoke run
 * @param cases            grid cases to run
 * @param size             file size of each grid case
 * @param pairCase         the link for the two-session runs (fairness, background)
 * @param pairSize         file size of each of the two sessions
 * @param loopbackSize     file size of the unimpaired loopback run
 * @param tcpSeconds       bound on each TCP copy
 * @param datagramSize     UDP payload size of the grid and two-session senders; 0 means the CLI's own default (read from its help)
 * @param loopbackDatagramSize UDP payload size of the loopback run's sender
 * @param parts            which parts run
 * @param workDir          parent of the run's temporary directory (files, receive directories), deleted afterwards
 * @param resultsDir       where the table and the logs of failed transfers are kept
 * @param ledger           file listing started processes and namespaces for bench.sh's exit trap, or null
 * @param keepWork         keep the temporary directory (for debugging)
 */
record BenchOptions(Path repo, boolean quick, List<GridCase> cases, long size, GridCase pairCase, long pairSize, long loopbackSize,
        double tcpSeconds, int datagramSize, int loopbackDatagramSize, Set<Part> parts, Path workDir, Path resultsDir, Path ledger, boolean keepWork) {

    /** The parts of a run, in the order they run. */
    enum Part { GRID, TCP, FAIRNESS, BACKGROUND, LOOPBACK }

    static final List<GridCase> QUICK_CASES = List.of(new GridCase(50, 1));
    static final long FULL_SIZE = 1L << 30;
    static final long QUICK_SIZE = 32L << 20;
    static final GridCase PAIR_CASE = new GridCase(50, 1);
    static final long FULL_PAIR_SIZE = 512L << 20;
    static final long QUICK_PAIR_SIZE = 16L << 20;
    static final long FULL_LOOPBACK_SIZE = 1L << 30;
    static final long QUICK_LOOPBACK_SIZE = 64L << 20;
    static final double FULL_TCP_SECONDS = 60;
    static final double QUICK_TCP_SECONDS = 8;
    /** Grid and two-session runs measure the product as shipped: the CLI's default datagram size. */
    static final int CLI_DEFAULT_DATAGRAM_SIZE = 0;
    /** The loopback figure is specified for 1,400-byte datagrams. */
    static final int LOOPBACK_DATAGRAM_SIZE = 1400;
    /** A transfer that has not finished after this, plus its size at {@link #SLOWEST_EXPECTED_BYTES_PER_SECOND}, counts as hung. */
    static final Duration TRANSFER_GRACE = Duration.ofSeconds(60);
    static final double SLOWEST_EXPECTED_BYTES_PER_SECOND = 25e6 / 8;

    static final String USAGE = String.join("\n",
            "usage: bench.sh [--quick] [--size SIZE] [--cases all|RTTms/LOSS%,...] [--pair-size SIZE] [--pair-case RTTms/LOSS%]",
            "                [--loopback-size SIZE] [--tcp-seconds N] [--datagram-size N] [--loopback-datagram-size N]",
            "                [--skip PART,...] [--work-dir DIR] [--results DIR] [--keep]",
            "  --quick          a few small cases (whole run under two minutes), for CI; fails only if a transfer fails",
            "  --size           file size per grid case, e.g. 1g, 256m (default 1g; quick 32m)",
            "  --cases          grid cases (default all: RTT 0,50,200 ms x loss 0,1,5 %; quick 50ms/1%)",
            "  --pair-case      link of the two-session runs (default 50ms/1%)",
            "  --pair-size      file size of each of the two sessions (default 512m; quick 16m)",
            "  --loopback-size  file size of the unimpaired loopback run (default 1g; quick 64m)",
            "  --tcp-seconds    time bound of each TCP copy (default 60; quick 8)",
            "  --datagram-size  UDP payload size of the grid and two-session senders (default: skyhaul send's own default)",
            "  --loopback-datagram-size  UDP payload size of the loopback sender (default 1400)",
            "  --skip           parts to leave out: grid, tcp, fairness, background, loopback",
            "  --work-dir       where temporary files go (default the system temp dir); removed afterwards unless --keep",
            "  --results        where the table and every process's log are kept, one directory per run",
            "                   (default protocol-bench/target/bench-results)");

    BenchOptions {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("--cases: no case");
        }
        if (size <= 0 || pairSize <= 0 || loopbackSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (!(tcpSeconds > 0)) {
            throw new IllegalArgumentException("--tcp-seconds: must be positive");
        }
        if (datagramSize != CLI_DEFAULT_DATAGRAM_SIZE && (datagramSize < 1200 || datagramSize > 9000)) {
            throw new IllegalArgumentException("--datagram-size: must be between 1200 and 9000");
        }
        if (loopbackDatagramSize < 1200 || loopbackDatagramSize > 9000) {
            throw new IllegalArgumentException("--loopback-datagram-size: must be between 1200 and 9000");
        }
        if (!Files.isRegularFile(repo.resolve("bin/skyhaul"))) {
            throw new IllegalArgumentException("--repo: " + repo + " has no bin/skyhaul");
        }
    }

    static BenchOptions parse(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        Path repo = Path.of(".").toAbsolutePath().normalize();
        List<GridCase> cases = quick ? QUICK_CASES : GridCase.FULL_GRID;
        long size = quick ? QUICK_SIZE : FULL_SIZE;
        GridCase pairCase = PAIR_CASE;
        long pairSize = quick ? QUICK_PAIR_SIZE : FULL_PAIR_SIZE;
        long loopbackSize = quick ? QUICK_LOOPBACK_SIZE : FULL_LOOPBACK_SIZE;
        double tcpSeconds = quick ? QUICK_TCP_SECONDS : FULL_TCP_SECONDS;
        int datagramSize = CLI_DEFAULT_DATAGRAM_SIZE;
        int loopbackDatagramSize = LOOPBACK_DATAGRAM_SIZE;
        Set<Part> parts = EnumSet.allOf(Part.class);
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
        Path results = null;
        Path ledger = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--quick")) {
                continue;
            }
            if (flag.equals("--keep")) {
                keep = true;
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + ": missing value\n" + USAGE);
            }
            String v = args[++i];
            try {
                switch (flag) {
                    case "--repo" -> repo = Path.of(v).toAbsolutePath().normalize();
                    case "--size" -> size = Units.parseBytes(v);
                    case "--cases" -> cases = GridCase.parseList(v);
                    case "--pair-case" -> pairCase = GridCase.parse(v);
                    case "--pair-size" -> pairSize = Units.parseBytes(v);
                    case "--loopback-size" -> loopbackSize = Units.parseBytes(v);
                    case "--tcp-seconds" -> tcpSeconds = Double.parseDouble(v);
                    case "--datagram-size" -> datagramSize = Integer.parseInt(v);
                    case "--loopback-datagram-size" -> loopbackDatagramSize = Integer.parseInt(v);
                    case "--skip" -> parts.removeAll(parseParts(v));
                    case "--work-dir" -> workDir = Path.of(v);
                    case "--results" -> results = Path.of(v);
                    case "--ledger" -> ledger = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option\n" + USAGE);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
            }
        }
        if (results == null) {
            results = repo.resolve("protocol-bench/target/bench-results");
        }
        return new BenchOptions(repo, quick, cases, size, pairCase, pairSize, loopbackSize, tcpSeconds, datagramSize, loopbackDatagramSize, Set.copyOf(parts), workDir, results,
                ledger, keep);
    }

    private static Set<Part> parseParts(String text) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (String p : text.split(",")) {
            try {
                parts.add(Part.valueOf(p.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown part '" + p + "': use grid, tcp, fairness, background, loopback", e);
            }
        }
        return parts;
    }

    /** The same run with its programs taken from {@code snapshot} (a {@link BuildSnapshot}) and a definite datagram size. */
    BenchOptions withBuild(Path snapshot, int resolvedDatagramSize) {
        return new BenchOptions(snapshot, quick, cases, size, pairCase, pairSize, loopbackSize, tcpSeconds, resolvedDatagramSize,
                loopbackDatagramSize, parts, workDir, resultsDir, ledger, keepWork);
    }

    boolean runs(Part part) {
        return parts.contains(part);
    }

    Path skyhaul() {
        return repo.resolve("bin/skyhaul");
    }

    Path linkemJar() {
        return repo.resolve("protocol-bench/target/linkem.jar");
    }

    Path benchmarksJar() {
        return repo.resolve("protocol-bench/target/benchmarks.jar");
    }

    /** How long a transfer of {@code bytes} may take before it counts as hung. */
    static Duration transferTimeout(long bytes) {
        return TRANSFER_GRACE.plusMillis((long) (bytes / SLOWEST_EXPECTED_BYTES_PER_SECOND * 1000));
    }
}
