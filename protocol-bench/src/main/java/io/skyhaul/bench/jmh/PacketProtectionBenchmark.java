package io.skyhaul.bench.jmh;

import io.skyhaul.transport.crypto.PacketProtection;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AES-256-GCM per datagram, one thread: {@link PacketProtection#seal} and {@link PacketProtection#open}
 * of a packet body with the 18-byte header as associated data. {@code plainBytes} 1,350 is the
 * payload size the issue names; 1,366 and 1,418 are whole DATA bodies (8-byte offset and file
 * data) of 1,400-byte and 1,452-byte (default) datagrams, once header and tag are added. Gbit/s of plaintext =
 * ops/s × plainBytes × 8 / 10⁹ ({@link JmhResultsPrinter} prints it).
 *
 * <pre>
 * java -jar protocol-bench/target/benchmarks.jar PacketProtectionBenchmark -rf json -rff crypto.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PacketProtectionBenchmark {
    private static final int HEADER = 18;

    @Param({"1350", "1366", "1418"})
    public int plainBytes;

    private PacketProtection sender;
    private PacketProtection receiver;
    private final byte[] aad = new byte[HEADER];
    private byte[] plain;
    private byte[] sealed;
    private byte[] opened;
    private int sealedLength;
    private long packetNumber;

    @Setup
    public void keys() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] key = new byte[32];
        byte[] iv = new byte[12];
        random.nextBytes(key);
        random.nextBytes(iv);
        random.nextBytes(aad);
        sender = new PacketProtection(key, iv);
        receiver = new PacketProtection(key, iv);
        plain = new byte[plainBytes];
        random.nextBytes(plain);
        sealed = new byte[plainBytes + PacketProtection.TAG_LENGTH];
        opened = new byte[plainBytes + PacketProtection.TAG_LENGTH];
        sealedLength = sender.seal(0, aad, HEADER, plain, plainBytes, sealed, 0);
    }

    /** A fresh packet number each time, as the sender does: a nonce is never reused. */
    @Benchmark
    public int seal() {
        return sender.seal(++packetNumber, aad, HEADER, plain, plainBytes, sealed, 0);
    }

    /** Opens (verifies and decrypts) the same sealed packet; the replay window is not part of it. */
    @Benchmark
    public int open() {
        int n = receiver.open(0, aad, HEADER, sealed, 0, sealedLength, opened);
        if (n != plainBytes) {
            throw new IllegalStateException("a packet sealed in setup failed to open");
        }
        return n;
    }
}
