package io.skyhaul.gateway.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One spool per directory: two processes appending to one log would interleave records, and
 * each would delete the other's bodies as leftovers. The kernel drops the lock when its process
 * dies, so a killed gateway never blocks its own restart.
 */
final class SpoolDirectoryLock implements Closeable {
    private final FileChannel channel;
    private final FileLock lock;

    private SpoolDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static SpoolDirectoryLock acquire(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("the spool in " + file.getParent() + " is in use by another process (" + file + " is locked)");
            }
            return new SpoolDirectoryLock(ch, lock);
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new IOException("the spool in " + file.getParent() + " is already open in this process", e);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
