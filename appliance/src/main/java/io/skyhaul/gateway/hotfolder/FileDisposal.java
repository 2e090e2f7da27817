package io.skyhaul.gateway.hotfolder;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Rule: "after a send, a file is kept, moved to the done folder or deleted; after a failure or a
 * refusal it is moved to the error folder with a reason file beside it; nothing is ever
 * overwritten, and nothing but the version that was judged is disposed of".
 * <ul>
 *   <li>Targets keep the file's relative path under the done or error folder; a name already taken
 *       gets " (2)", " (3)"... before its extension ({@link CollisionNames}).</li>
 *   <li>In the error folder, {@code NAME.reason.txt} (UTF-8: time, rule, detail, what to do) is
 *       written first, through a temporary file and an atomic rename, so a file there always has
 *       its reason. A reason file without its file is a crash's leftover and is replaced.</li>
 *   <li>A move is an atomic rename. When the folders are on different filesystems (or mounts) the
 *       rename is refused, and the file is copied to a hidden temporary name beside the target
 *       (mtime kept), forced to disk, renamed into place, and only then is the original deleted.</li>
 *   <li>The file on disk must still be the version the tracker reported (size, mtime, file key):
 *       one rewritten since is left alone ({@link Outcome#CHANGED}) for the tracker to report again.</li>
 *   <li>Re-running after a crash is safe: a source already gone whose target is present (same
 *       file key, or same size and mtime) is {@link Outcome#ALREADY_DONE}; after a cross-filesystem
 *       copy that was renamed into place but whose original survived, the original is deleted.</li>
 *   <li>The marker, if any, is removed once the file has been dealt with (every outcome but CHANGED).</li>
 * </ul>
 * The gateway must be the only writer of its done and error folders: a name is checked free just
 * before the rename, and Java offers no rename that refuses to replace. Thread-safe if the callers
 * never dispose of the same path concurrently.
 */
public final class FileDisposal {
    /** What a successful send leaves behind. */
    public enum AfterSuccess { KEEP, MOVE_TO_DONE, DELETE }

    public enum Outcome {
        /** Left in the hot folder (KEEP). */
        KEPT,
        /** Moved to the target. */
        MOVED,
        DELETED,
        /** An earlier run already did it (source gone, target present; or DELETE and source gone). */
        ALREADY_DONE,
        /** The file was rewritten after it was judged: left in place. */
        CHANGED,
        /** The source is gone and no target holds it: someone else moved or deleted it. */
        GONE
    }

    /**
     * @param target where the file is now, for MOVED and ALREADY_DONE
     * @param copiedAcrossFilesystems the move was a copy and a delete, not a rename
     */
    public record Result(Outcome outcome, Optional<Path> target, boolean copiedAcrossFilesystems) {
        static Result of(Outcome outcome) {
            return new Result(outcome, Optional.empty(), false);
        }
    }

    /** Copies onto FAT or SMB may round the mtime; a crash-recovery match allows that much. */
    private static final Duration MTIME_TOLERANCE = Duration.ofSeconds(2);

    private final Path hotFolder;
    private final AfterSuccess afterSuccess;
    private final Path doneFolder;
    private final Path errorFolder;
    private final Clock clock;
    private final int maxNameCollisions;

    /** With the collision limit of {@link HotFolderLimits#DEFAULTS}. */
    public FileDisposal(Path hotFolder, AfterSuccess afterSuccess, Path doneFolder, Path errorFolder, Clock clock) {
        this(hotFolder, afterSuccess, doneFolder, errorFolder, clock, HotFolderLimits.DEFAULTS.maxNameCollisions());
    }

    /** @param doneFolder used by MOVE_TO_DONE only; may be null otherwise */
    public FileDisposal(Path hotFolder, AfterSuccess afterSuccess, Path doneFolder, Path errorFolder, Clock clock, int maxNameCollisions) {
        this.hotFolder = Objects.requireNonNull(hotFolder, "hotFolder");
        this.afterSuccess = Objects.requireNonNull(afterSuccess, "afterSuccess");
        if (afterSuccess == AfterSuccess.MOVE_TO_DONE) {
            Objects.requireNonNull(doneFolder, "doneFolder (required by MOVE_TO_DONE)");
        }
        this.doneFolder = doneFolder;
        this.errorFolder = Objects.requireNonNull(errorFolder, "errorFolder");
        this.clock = Objects.requireNonNull(clock, "clock");
        HotFolderLimits.requirePositive("maxNameCollisions", maxNameCollisions);
        this.maxNameCollisions = maxNameCollisions;
    }

    /** The file was sent: keep, move to done or delete it, as configured. */
    public Result succeeded(ReadyFile ready) throws IOException {
        Path source = inside(hotFolder, ready.relativePath());
        Result result = switch (afterSuccess) {
            case KEEP -> isStill(source, ready.file()) ? Result.of(Outcome.KEPT) : Result.of(Files.exists(source,
                    LinkOption.NOFOLLOW_LINKS) ? Outcome.CHANGED : Outcome.GONE);
            case DELETE -> delete(source, ready.file());
            case MOVE_TO_DONE -> move(source, ready.file(), doneFolder, Optional.empty());
        };
        removeMarker(ready, result);
        return result;
    }

    /** The file was refused or failed to send: move it to the error folder with its reason. */
    public Result failed(ReadyFile ready, FailureReason reason) throws IOException {
        Objects.requireNonNull(reason, "reason");
        Result result = move(inside(hotFolder, ready.relativePath()), ready.file(), errorFolder, Optional.of(reason));
        removeMarker(ready, result);
        return result;
    }

    /** The reason file that goes beside a file moved into the error folder. */
    public static Path reasonFileFor(Path fileInErrorFolder) {
        return fileInErrorFolder.resolveSibling(fileInErrorFolder.getFileName() + ".reason.txt");
    }

    private Result delete(Path source, ScannedFile expected) throws IOException {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            return Result.of(Outcome.ALREADY_DONE);
        }
        if (!isStill(source, expected)) {
            return Result.of(Outcome.CHANGED);
        }
        Files.deleteIfExists(source);
        DurableFiles.forceDirectory(source.getParent());
        return Result.of(Outcome.DELETED);
    }

    private Result move(Path source, ScannedFile expected, Path targetRoot, Optional<FailureReason> reason) throws IOException {
        Path targetDir = inside(targetRoot, expected.relativePath()).getParent();
        String name = source.getFileName().toString();
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            return findEarlierMove(targetDir, name, expected).map(found -> new Result(Outcome.ALREADY_DONE, Optional.of(found), false))
                    .orElse(Result.of(Outcome.GONE));
        }
        if (!isStill(source, expected)) {
            return Result.of(Outcome.CHANGED);
        }
        Files.createDirectories(targetDir);
        boolean acrossFilesystems = !Files.getFileStore(source).equals(Files.getFileStore(targetDir));
        for (int n = 1; n <= maxNameCollisions; n++) {
            Path target = targetDir.resolve(CollisionNames.candidate(name, n));
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (acrossFilesystems && looksLike(target, expected)) {
                    // An earlier run's copy is in place but the crash came before the delete.
                    Files.delete(source);
                    Files.deleteIfExists(DurableFiles.copyTemporaryFor(target));
                    return new Result(Outcome.ALREADY_DONE, Optional.of(target), true);
                }
                continue;
            }
            if (reason.isPresent()) {
                DurableFiles.writeAtomically(reasonFileFor(target), reasonText(expected, reason.get()));
            }
            return new Result(Outcome.MOVED, Optional.of(target), moveTo(source, target));
        }
        throw new IOException("cannot move " + expected.relativePath() + " into " + targetDir + ": the names up to '"
                + CollisionNames.candidate(name, maxNameCollisions) + "' are all taken");
    }

    /** @return whether it had to copy */
    private static boolean moveTo(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.forceDirectory(target.getParent());
            DurableFiles.forceDirectory(source.getParent());
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            DurableFiles.copyAcross(source, target);
            Files.delete(source);
            DurableFiles.forceDirectory(source.getParent());
            return true;
        }
    }

    /** Where a source that is gone went, if a previous run moved it: candidates in order, up to the first free name. */
    private Optional<Path> findEarlierMove(Path targetDir, String name, ScannedFile expected) throws IOException {
        for (int n = 1; n <= maxNameCollisions; n++) {
            Path candidate = targetDir.resolve(CollisionNames.candidate(name, n));
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            if (looksLike(candidate, expected)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isStill(Path file, ScannedFile expected) throws IOException {
        Optional<BasicFileAttributes> attrs = attributes(file);
        return attrs.isPresent() && attrs.get().isRegularFile() && expected.sameVersionAs(sighting(expected.relativePath(), attrs.get()));
    }

    /** The same inode, or (after a copy) the same size and an mtime within the tolerance. */
    private static boolean looksLike(Path file, ScannedFile expected) throws IOException {
        Optional<BasicFileAttributes> attrs = attributes(file);
        if (attrs.isEmpty() || !attrs.get().isRegularFile()) {
            return false;
        }
        ScannedFile seen = sighting(expected.relativePath(), attrs.get());
        if (seen.fileKey().isPresent() && seen.fileKey().equals(expected.fileKey())) {
            return seen.size() == expected.size();
        }
        Duration drift = Duration.between(seen.lastModified(), expected.lastModified()).abs();
        return seen.size() == expected.size() && drift.compareTo(MTIME_TOLERANCE) <= 0;
    }

    private static Optional<BasicFileAttributes> attributes(Path file) throws IOException {
        try {
            return Optional.of(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static ScannedFile sighting(String relativePath, BasicFileAttributes attrs) {
        return new ScannedFile(relativePath, attrs.size(), attrs.lastModifiedTime().toInstant(),
                Optional.ofNullable(attrs.fileKey()).map(Object::toString));
    }

    private String reasonText(ScannedFile file, FailureReason reason) {
        return "Skyhaul gateway: this file was not sent.\n"
                + "File: " + file.relativePath() + " (" + file.size() + " bytes, modified " + file.lastModified() + ")\n"
                + "Moved here: " + clock.instant() + "\n"
                + "Rule: " + reason.rule() + "\n"
                + "Reason: " + reason.detail() + "\n"
                + "What to do: " + reason.whatToDo() + "\n";
    }

    private void removeMarker(ReadyFile ready, Result result) throws IOException {
        if (ready.marker().isPresent() && result.outcome() != Outcome.CHANGED) {
            Files.deleteIfExists(inside(hotFolder, ready.marker().get()));
        }
    }

    /** Resolves a relative path under a root, refusing one that would leave it. */
    private static Path inside(Path root, String relativePath) {
        Path resolved = root.resolve(relativePath).normalize();
        if (relativePath.isEmpty() || Path.of(relativePath).isAbsolute() || !resolved.startsWith(root.normalize())
                || resolved.equals(root.normalize())) {
            throw new IllegalArgumentException("'" + relativePath + "' is not a path inside " + root);
        }
        return resolved;
    }
}
