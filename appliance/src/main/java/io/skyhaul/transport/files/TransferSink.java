package io.skyhaul.transport.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of a transfer. Partial files and the journal live in a staging directory
 * inside the target ({@code .skyhaul-partial/<transfer key>/}), so nothing half-written is ever
 * visible under its final name and the final rename stays on one filesystem. A later session
 * for the same manifest finds the staging directory and resumes from the journal.
 */
public final class TransferSink implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferSink.class);
    public static final String STAGING_DIR = ".skyhaul-partial";
    private static final String JOURNAL = "journal";
    private static final String LOCK = "lock";

    private final Path root;
    private Manifest manifest;
    private TransferLayout layout;
    private Path staging;
    private byte[] digestTable;
    private final PartFileWriter writer = new PartFileWriter();
    private ReceiveJournal journal;
    private ReceiveVerifier verifier;
    private FileChannel lockChannel;
    private FileLock lock;

    private final ReceiveTap tap;

    public TransferSink(Path root) {
        this(root, ReceiveTap.NONE);
    }

    /** @param tap sees every file's bytes in order as they are verified (the node streams them into storage) */
    public TransferSink(Path root, ReceiveTap tap) {
        this.root = root.toAbsolutePath().normalize();
        this.tap = tap;
    }

    public Path root() {
        return root;
    }

    /**
     * Accepts a manifest: checks every name against the target directory, prepares the staging
     * directory and reads any journal left by an interrupted session. Returns the byte-space
     * offset up to which the journal's blocks were re-verified on disk (the resume point).
     */
    public long open(Manifest accepted, Runnable onAllHashed) throws IOException, TransferRefusedException {
        this.manifest = accepted;
        this.layout = new TransferLayout(accepted);
        if (!Files.isDirectory(root)) {
            throw new TransferRefusedException("target directory " + root + " does not exist");
        }
        Set<Path> checkedDirectories = new HashSet<>();
        for (ManifestEntry e : accepted.entries()) {
            Path target = RelativePaths.resolveInside(root, e.path());
            if (!e.directory() && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new TransferRefusedException("cannot write file '" + e.path() + "': a directory of that name exists");
            }
            requireNoFileInTheWay(e.directory() ? target : target.getParent(), e.path(), checkedDirectories);
        }
        this.staging = root.resolve(STAGING_DIR).resolve(accepted.transferKey());
        Files.createDirectories(staging);
        lockStaging();
        this.digestTable = new byte[layout.fileCount() * TransferLayout.DIGEST_LENGTH];
        List<ReceiveJournal.Block> blocks = ReceiveJournal.read(staging.resolve(JOURNAL));
        int trusted = 0;
        long resumeAt = layout.headerEnd();
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate(ReceiveJournal.BLOCK_SIZE);
        for (ReceiveJournal.Block b : blocks) {
            if (b.file() < 0 || b.file() >= layout.fileCount()) {
                break;
            }
            long blockStart = (long) b.block() * ReceiveJournal.BLOCK_SIZE;
            long blockEnd = Math.min(layout.fileSize(b.file()), blockStart + ReceiveJournal.BLOCK_SIZE);
            if (layout.fileStart(b.file()) + blockStart != resumeAt || blockEnd <= blockStart) {
                break;
            }
            if (!blockMatches(b.file(), blockStart, (int) (blockEnd - blockStart), b.crc32c(), crc, buffer)) {
                break;
            }
            resumeAt = layout.fileStart(b.file()) + blockEnd;
            trusted++;
        }
        this.journal = ReceiveJournal.openForAppend(staging.resolve(JOURNAL), trusted);
        this.verifier = new ReceiveVerifier(layout, this::partFile, journal, resumeAt, onAllHashed, tap, f -> accepted.entries().get(layout.entryOf(f)).path());
        return resumeAt;
    }

    /**
     * Refuses now, before any data moves, what commit() could not do at the end: create a
     * directory where a file of that name exists.
     */
    private void requireNoFileInTheWay(Path dir, String path, Set<Path> checked) throws TransferRefusedException {
        for (Path p = dir; p != null && !p.equals(root) && checked.add(p); p = p.getParent()) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new TransferRefusedException("cannot create directory '" + root.relativize(p) + "' for '" + path
                        + "': a file of that name exists");
            }
        }
    }

    /** Two sessions with the same manifest would share partial files: the second one is refused. */
    private void lockStaging() throws IOException, TransferRefusedException {
        lockChannel = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            lockChannel = null;
            throw new TransferRefusedException("a transfer of the same files into " + root + " is already running; wait for it to end");
        }
    }

    private void unlockStaging() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            // Closing the channel releases the lock whatever happens.
        } finally {
            lock = null;
            lockChannel = null;
        }
    }

    private boolean blockMatches(int file, long position, int length, int expected, CRC32C crc, ByteBuffer buffer) throws IOException {
        Path part = partFile(file);
        if (!Files.exists(part)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.READ)) {
            buffer.clear().limit(length);
            while (buffer.hasRemaining()) {
                if (ch.read(buffer, position + buffer.position()) < 0) {
                    return false;
                }
            }
        }
        buffer.flip();
        crc.reset();
        crc.update(buffer);
        return (int) crc.getValue() == expected;
    }

    public void startVerifier() {
        verifier.start();
    }

    public TransferLayout layout() {
        return layout;
    }

    public Manifest manifest() {
        return manifest;
    }

    Path partFile(int file) {
        return staging.resolve(file + ".part");
    }

    /** Writes [offset, offset + remaining) of the file area or digest table from {@code src}. */
    public void write(long offset, ByteBuffer src) throws IOException {
        int base = src.position();
        layout.visit(offset, src.remaining(), (region, file, regionOffset, rangeOffset, n) -> {
            ByteBuffer piece = src.duplicate();
            piece.position(base + rangeOffset).limit(base + rangeOffset + n);
            switch (region) {
                case FILE -> writer.write(partFile(file), regionOffset, piece);
                case DIGEST_TABLE -> piece.get(digestTable, (int) regionOffset, n);
                case HEADER -> throw new IllegalStateException("header bytes go to the manifest buffer");
                default -> throw new IllegalStateException();
            }
        });
    }

    /**
     * Writes out what {@link #write} gathered and tells the verifier how far the contiguous byte
     * space reaches (the verifier reads the files back, so they must hold every byte below it).
     */
    public void advance(long watermark) throws IOException {
        writer.flush();
        verifier.advance(watermark);
    }

    public boolean hashed() {
        return verifier.done() || verifier.failure() != null;
    }

    /** Returns the paths whose digest differs from the sender's table (empty when all match). */
    public List<String> mismatches() throws IOException {
        if (verifier.failure() != null) {
            throw verifier.failure();
        }
        List<String> bad = new java.util.ArrayList<>();
        for (int f = 0; f < layout.fileCount(); f++) {
            byte[] expected = Arrays.copyOfRange(digestTable, f * TransferLayout.DIGEST_LENGTH, (f + 1) * TransferLayout.DIGEST_LENGTH);
            if (!Arrays.equals(expected, verifier.digest(f))) {
                bad.add(manifest.entries().get(layout.entryOf(f)).path());
            }
        }
        return bad;
    }

    public byte[] digest(int file) {
        return verifier.digest(file);
    }

    /**
     * Moves every verified file to its final name (atomic rename on the target's filesystem),
     * creates directories, restores modification times, and removes the staging directory.
     */
    public void commit() throws IOException, TransferRefusedException {
        writer.close();
        journal.close();
        List<ManifestEntry> entries = manifest.entries();
        int file = 0;
        for (ManifestEntry e : entries) {
            Path target = RelativePaths.resolveInside(root, e.path());
            if (e.directory()) {
                RelativePaths.createDirectoriesInside(root, target);
                continue;
            }
            RelativePaths.createDirectoriesInside(root, target.getParent());
            Path part = partFile(file);
            if (!Files.exists(part)) {
                Files.createFile(part);
            }
            Files.setLastModifiedTime(part, FileTime.fromMillis(e.modifiedMillis()));
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            file++;
        }
        for (ManifestEntry e : entries) {
            if (e.directory()) {
                Files.setLastModifiedTime(root.resolve(e.path()), FileTime.fromMillis(e.modifiedMillis()));
            }
        }
        deleteStaging();
    }

    /** Removes the staging directory of this transfer (after a commit, or a verification failure). */
    public void deleteStaging() throws IOException {
        closeWriter();
        unlockStaging();
        if (staging == null || !Files.exists(staging)) {
            return;
        }
        try (var s = Files.list(staging)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(staging);
        try {
            Files.deleteIfExists(staging.getParent());
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // Another transfer into the same directory is staging too.
        }
    }

    /**
     * Closes the partial files without failing: bytes that cannot be written now were never
     * journaled, so a resume re-verifies the blocks on disk and asks for them again.
     */
    private void closeWriter() {
        try {
            writer.close();
        } catch (IOException e) {
            LOG.debug("closing the partial files of {}: {}", staging, e.toString());
        }
    }

    @Override
    public void close() {
        if (verifier != null) {
            verifier.close();
        }
        closeWriter();
        unlockStaging();
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                // The journal only speeds up a resume; a lost record means a block is sent again.
            }
        }
    }
}
