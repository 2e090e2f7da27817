package io.skyhaul.bench.jmh;

import io.skyhaul.bench.FileTrees;
import io.skyhaul.bench.PayloadFile;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The UDP core's unimpaired maximum: one upload straight from a {@code TransferClient} to a
 * {@code TransferNode} on 127.0.0.1, no relay, AES-256-GCM on every datagram (it cannot be turned
 * off), 1,400-byte datagrams (the figure is specified for them). Both ends share this JVM and the machine's cores, so the
 * figure is bounded by CPU; the CPU seconds per GiB ({@link TransferMetrics}) says how much.
 *
 * <pre>
 * java -jar protocol-bench/target/benchmarks.jar LoopbackTransferBenchmark -rf json -rff loopback.json
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@State(Scope.Benchmark)
public class LoopbackTransferBenchmark {
    /** UDP payload per DATA datagram, as bench.sh's loopback run. */
    @Param({"1400"})
    public int datagramSize;

    @Param({"1024"})
    public int sizeMiB;

    private Path dir;
    private PayloadFile file;
    private InProcessTransfer transfer;
    private int iteration;

    @Setup(Level.Trial)
    public void createFile() throws IOException {
        dir = Files.createTempDirectory("skyhaul-jmh-loopback-");
        file = PayloadFile.create(dir.resolve("payload.bin"), (long) sizeMiB << 20, 43);
    }

    @Setup(Level.Iteration)
    public void startNode() throws IOException, InterruptedException {
        transfer = new InProcessTransfer(dir.resolve("rx-" + iteration++), TransportSettings.defaults().withDatagramSize(datagramSize));
    }

    @Benchmark
    public TransferReport transfer(TransferMetrics metrics) throws TransferException {
        long cpu = InProcessTransfer.processCpuNanos();
        TransferReport report = transfer.send(transfer.nodeAddress(), file);
        metrics.record(report, InProcessTransfer.processCpuNanos() - cpu);
        return report;
    }

    @TearDown(Level.Iteration)
    public void stopAndVerify() throws IOException {
        transfer.close();
        transfer.verify(file);
        FileTrees.deleteTree(transfer.root());
    }

    @TearDown(Level.Trial)
    public void deleteFiles() {
        FileTrees.deleteTree(dir);
    }
}
