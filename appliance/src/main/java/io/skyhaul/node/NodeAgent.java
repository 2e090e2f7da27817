package io.skyhaul.node;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.UploadOptions;
import io.skyhaul.transport.files.TransferSink;
import io.skyhaul.transport.session.TransferNode;
import io.skyhaul.transport.session.TransportSettings;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.TicketSealer;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node role: the UDP listener, and moving verified files between the node's spool and
 * storage. Each transfer has its own spool directory ({@code spool/<transfer id>}), which is the
 * scope of its session ticket, so a client can touch nothing else. The agent carries out what the
 * manager decides; it keeps no transfer state of its own beyond the spool.
 */
public final class NodeAgent implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    public static final String KEY_FILE = "node.key";
    public static final String SPOOL = "spool";

    /** A file placed in the spool for a download. */
    public record PreparedFile(String path, String objectKey, long size, String sha256) {
    }

    private final Path dir;
    private final TransferNode transport;
    private final TicketSealer sealer;
    private final String publicAddress;

    private NodeAgent(Path dir, TransferNode transport, TicketSealer sealer, String publicAddress) {
        this.dir = dir;
        this.transport = transport;
        this.sealer = sealer;
        this.publicAddress = publicAddress;
    }

    /**
     * Starts the UDP listener over {@code dir/spool}, with the node key in {@code dir/node.key}
     * (created 0600 on first start).
     */
    public static NodeAgent start(Path dir, InetSocketAddress listen, String publicAddress, TransportSettings settings)
            throws IOException, PreSharedKey.KeyFileException, InterruptedException {
        Files.createDirectories(dir.resolve(SPOOL));
        Path keyFile = dir.resolve(KEY_FILE);
        SecureRandom random = new SecureRandom();
        if (!Files.exists(keyFile)) {
            PreSharedKey.generate(random).writeNew(keyFile);
        }
        TicketSealer sealer = new TicketSealer(PreSharedKey.read(keyFile), random, Clock.systemUTC());
        TransferNode node = TransferNode.start(listen, dir, sealer, settings);
        InetSocketAddress bound = node.localAddress();
        String advertised = publicAddress != null ? publicAddress : bound.getHostString() + ":" + bound.getPort();
        return new NodeAgent(dir, node, sealer, advertised);
    }

    public TicketSealer sealer() {
        return sealer;
    }

    /** HOST:PORT that clients are told to use. */
    public String publicAddress() {
        return publicAddress;
    }

    public InetSocketAddress udpAddress() {
        return transport.localAddress();
    }

    public TransferNode transport() {
        return transport;
    }

    public void onSessionEnded(Consumer<TransferNode.SessionOutcome> listener) {
        transport.addListener(listener);
    }

    /** The ticket scope of a transfer: its spool directory, relative to the node's root. */
    public static String scopeOf(String transferId) {
        return SPOOL + "/" + transferId;
    }

    public Path spool(String transferId) {
        return dir.resolve(SPOOL).resolve(transferId);
    }

    /**
     * Writes every received file of an upload to storage under {@code prefix}, each verified
     * against the SHA-256 the transport computed while receiving it. Throws at the first failure;
     * files already written stay (each one is complete and verified).
     */
    public List<ObjectInfo> publish(String transferId, ObjectStore store, String prefix, Overwrite overwrite,
            Map<String, String> digests, LongConsumer progress) throws StorageException {
        Path root = spool(transferId);
        List<ObjectInfo> written = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        for (Path file : receivedFiles(root)) {
            String path = root.relativize(file).toString().replace('\\', '/');
            String sha = digests.get(path);
            if (sha == null) {
                throw new StorageException(StorageError.INTEGRITY, "no verified digest for '" + path + "': not publishing it");
            }
            long base = done.get();
            ObjectInfo info = store.putFile(prefix + path, file, HexFormat.of().parseHex(sha), new UploadOptions(overwrite, 4),
                    n -> progress.accept(base + n));
            done.addAndGet(fileSize(file));
            progress.accept(done.get());
            written.add(info);
            LOG.info("transfer {}: stored {} ({} bytes, sha256 {})", transferId, prefix + path, info.size(), sha);
        }
        return written;
    }

    /**
     * Fetches objects into the transfer's spool for a client to download: the given paths
     * (relative to {@code prefix}), or everything under it when {@code paths} is null.
     */
    public List<PreparedFile> prepareDownload(String transferId, ObjectStore store, String prefix, List<ObjectInfo> objects,
            LongConsumer progress) throws StorageException, IOException {
        Path root = spool(transferId);
        Files.createDirectories(root);
        List<PreparedFile> prepared = new ArrayList<>();
        long done = 0;
        for (ObjectInfo o : objects) {
            String path = o.key().substring(prefix.length());
            Path target;
            try {
                target = io.skyhaul.transport.files.RelativePaths.resolveInside(root, path);
            } catch (io.skyhaul.transport.files.TransferRefusedException e) {
                throw new StorageException(StorageError.INVALID_KEY, "object '" + o.key() + "' has no safe local name: " + e.getMessage());
            }
            Files.createDirectories(target.getParent());
            long base = done;
            ObjectInfo got = store.download(o.key(), target, n -> progress.accept(base + n));
            done += got.size();
            progress.accept(done);
            prepared.add(new PreparedFile(path, o.key(), got.size(), got.sha256Hex()));
        }
        return prepared;
    }

    /** The files received for a transfer, by relative path, with their sizes. */
    public Map<String, Long> received(String transferId) throws StorageException {
        Path root = spool(transferId);
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Path f : receivedFiles(root)) {
            out.put(root.relativize(f).toString().replace('\\', '/'), fileSize(f));
        }
        return out;
    }

    /** Deletes a transfer's spool directory and everything in it. */
    public void discard(String transferId) {
        Path root = spool(transferId);
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("transfer {}: could not delete its spool {}: {}", transferId, root, e.getMessage());
        }
    }

    private static List<Path> receivedFiles(Path root) throws StorageException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !root.relativize(p).startsWith(TransferSink.STAGING_DIR))
                    .sorted().toList();
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot read the spool " + root + ": " + e.getMessage());
        }
    }

    private static long fileSize(Path p) throws StorageException {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, e.getMessage());
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
