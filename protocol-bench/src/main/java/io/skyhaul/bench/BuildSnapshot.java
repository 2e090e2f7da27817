package io.skyhaul.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private copy of what the bench runs — {@code bin/skyhaul}, the appliance jar with its
 * libraries, {@code linkem.jar} and {@code benchmarks.jar} — taken at start, so that a rebuild of
 * the checkout while the bench runs (the core is tuned concurrently) cannot change or remove the
 * code half-way: every figure of a run comes from one build. The copy keeps the checkout's layout,
 * so {@code bin/skyhaul} finds its jar as it does in the checkout.
 */
final class BuildSnapshot {
    static final List<String> FILES = List.of("bin/skyhaul", "appliance/target/skyhaul-appliance.jar", "protocol-bench/target/linkem.jar",
            "protocol-bench/target/benchmarks.jar");
    static final String LIBRARIES = "appliance/target/lib";

    private BuildSnapshot() {
    }

    /** Copies the runnable build from {@code repo} into {@code into}; returns a one-line description of what was copied. */
    static String copy(Path repo, Path into) throws IOException {
        for (String f : FILES) {
            Path source = repo.resolve(f);
            if (!Files.isRegularFile(source)) {
                throw new BenchException(source + " is missing: build first (mvn -B -o package -Dmaven.test.skip=true)");
            }
            Path target = into.resolve(f);
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path libs = into.resolve(LIBRARIES);
        Files.createDirectories(libs);
        try (Stream<Path> jars = Files.list(repo.resolve(LIBRARIES))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.copy(jar, libs.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        FileTime built = Files.getLastModifiedTime(repo.resolve("appliance/target/skyhaul-appliance.jar"));
        return "appliance jar built " + built.toString().replace('T', ' ').replaceAll("\\.\\d+Z$", " UTC") + "; " + sourceState(repo);
    }

    /** The checkout's commit and how many files of the core differ from it, when git can tell. */
    private static String sourceState(Path repo) {
        try {
            String head = ShortCommand.run(List.of("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD")).trim();
            String changed = ShortCommand.run(List.of("git", "-C", repo.toString(), "status", "--porcelain", "--", "appliance/src/main")).trim();
            long n = changed.isEmpty() ? 0 : changed.lines().count();
            return "git " + head + (n == 0 ? ", core unchanged" : " + " + n + " uncommitted file(s) under appliance/src/main");
        } catch (BenchException e) {
            return "git state unknown (" + e.getMessage() + ")";
        }
    }
}
