package io.skyhaul.transport.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.skyhaul.transport.files.Manifest;
import io.skyhaul.transport.files.ReceiveJournal;
import io.skyhaul.transport.files.TransferRefusedException;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.TicketSealer;
import io.skyhaul.transport.wire.ErrorMessage;
import io.skyhaul.transport.wire.HelloMessage;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Fuzz targets for every decoder that reads bytes a peer controls. In the normal test run they
 * replay the inputs under src/test/resources (regression mode); with JAZZER_FUZZ=1 Jazzer
 * generates new ones. The rule each checks: hostile bytes end in the decoder's documented
 * refusal, never in another exception.
 */
class DecoderFuzzTest {
    private static final TicketSealer SEALER = new TicketSealer(PreSharedKey.of(new byte[32]), new SecureRandom(), Clock.systemUTC());

    @FuzzTest(maxDuration = "30s")
    void manifest(byte[] input) {
        try {
            Manifest m = Manifest.decode(input);
            assertTrue(m.entries().size() <= Manifest.MAX_ENTRIES);
        } catch (TransferRefusedException expected) {
            assertTrue(expected.getMessage().startsWith("refused"), expected.getMessage());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void hello(byte[] input) {
        try {
            HelloMessage h = HelloMessage.read(ByteBuffer.wrap(input));
            assertTrue(h.paths().size() <= HelloMessage.MAX_PATHS);
        } catch (IllegalArgumentException | BufferUnderflowException malformed) {
            // What Session.onDatagram counts as malformed.
        }
    }

    @FuzzTest(maxDuration = "30s")
    void error(byte[] input) {
        try {
            ErrorMessage e = ErrorMessage.read(ByteBuffer.wrap(input));
            assertTrue(e.code() >= 0 && e.code() <= 255);
        } catch (IllegalArgumentException | BufferUnderflowException malformed) {
            // What Session.onDatagram counts as malformed.
        }
    }

    @FuzzTest(maxDuration = "30s")
    void ticket(byte[] input) {
        // A ticket nobody sealed with our key never opens, and never throws.
        assertTrue(SEALER.open(ByteBuffer.wrap(input)).isEmpty());
    }

    @FuzzTest(maxDuration = "30s")
    void journal(byte[] input) throws IOException {
        Path file = Files.createTempFile("journal", ".bin");
        try {
            Files.write(file, input);
            assertTrue(ReceiveJournal.read(file).size() <= input.length / 16);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
