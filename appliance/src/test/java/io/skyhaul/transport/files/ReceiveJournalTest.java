package io.skyhaul.transport.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resume journal survives a crash mid-record: a torn or corrupted record ends the trusted prefix. */
class ReceiveJournalTest {
    @TempDir
    Path dir;

    @Test
    void recordsReadBackInOrder() throws Exception {
        Path path = dir.resolve("journal");
        try (ReceiveJournal j = ReceiveJournal.openForAppend(path, 0)) {
            for (int b = 0; b < 100; b++) {
                j.append(b / 10, b % 10, b * 31);
            }
        }
        List<ReceiveJournal.Block> blocks = ReceiveJournal.read(path);
        assertEquals(100, blocks.size());
        assertEquals(new ReceiveJournal.Block(9, 9, 99 * 31), blocks.get(99));
    }

    @Test
    void aTornLastRecordIsIgnored() throws Exception {
        Path path = dir.resolve("journal");
        try (ReceiveJournal j = ReceiveJournal.openForAppend(path, 0)) {
            j.append(0, 0, 1);
            j.append(0, 1, 2);
            j.append(0, 2, 3);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(3L * ReceiveJournal.RECORD - 5);
        }
        assertEquals(List.of(new ReceiveJournal.Block(0, 0, 1), new ReceiveJournal.Block(0, 1, 2)), ReceiveJournal.read(path));
    }

    @Test
    void aCorruptedRecordEndsTheTrustedPrefix() throws Exception {
        Path path = dir.resolve("journal");
        try (ReceiveJournal j = ReceiveJournal.openForAppend(path, 0)) {
            for (int b = 0; b < 5; b++) {
                j.append(0, b, b);
            }
        }
        byte[] bytes = Files.readAllBytes(path);
        bytes[2 * ReceiveJournal.RECORD + 9] ^= 0x40;
        Files.write(path, bytes);
        assertEquals(2, ReceiveJournal.read(path).size());
    }

    @Test
    void reopeningKeepsOnlyTheTrustedRecordsAndAppendsAfterThem() throws Exception {
        Path path = dir.resolve("journal");
        try (ReceiveJournal j = ReceiveJournal.openForAppend(path, 0)) {
            for (int b = 0; b < 5; b++) {
                j.append(0, b, b);
            }
        }
        try (ReceiveJournal j = ReceiveJournal.openForAppend(path, 2)) {
            j.append(1, 0, 42);
        }
        assertEquals(List.of(new ReceiveJournal.Block(0, 0, 0), new ReceiveJournal.Block(0, 1, 1), new ReceiveJournal.Block(1, 0, 42)),
                ReceiveJournal.read(path));
    }

    @Test
    void aMissingJournalMeansNothingToResume() throws Exception {
        assertEquals(List.of(), ReceiveJournal.read(dir.resolve("absent")));
    }
}
