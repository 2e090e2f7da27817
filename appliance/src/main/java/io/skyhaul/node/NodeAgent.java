package io.skyhaul.node;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.UploadOptions;
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
import java.util.List;
import java.util.Map;
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
    private final java.util.concurrent.ConcurrentHashMap<String, StreamingUpload> streams;
    private final TicketSealer sealer;
    private final PreSharedKey ticketKey;
    /** Rate ceilings (bytes/s) of the sessions that send from a transfer's spool: the node is the sender of a download. */
    private final java.util.concurrent.ConcurrentHashMap<String, Double> rates;
    private final String publicAddress;

    private NodeAgent(Path dir, TransferNode transport, TicketSealer sealer, PreSharedKey ticketKey, String publicAddress,
            java.util.concurrent.ConcurrentHashMap<String, StreamingUpload> streams, java.util.concurrent.ConcurrentHashMap<String, Double> rates) {
        this.ticketKey = ticketKey;
        this.rates = rates;
        this.dir = dir;
        this.streams = streams;
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
        PreSharedKey key = PreSharedKey.read(keyFile);
        TicketSealer sealer = new TicketSealer(key, random, Clock.systemUTC());
        var streams = new java.util.concurrent.ConcurrentHashMap<String, StreamingUpload>();
        var rates = new java.util.concurrent.ConcurrentHashMap<String, Double>();
        TransferNode node = TransferNode.start(listen, dir, sealer, settings, scope -> {
            StreamingUpload stream = scope.startsWith(SPOOL + "/") ? streams.get(scope.substring(SPOOL.length() + 1)) : null;
            return stream == null ? io.skyhaul.transport.files.ReceiveTap.NONE : stream;
        }, scope -> {
            Double rate = scope.startsWith(SPOOL + "/") ? rates.get(scope.substring(SPOOL.length() + 1)) : null;
            return rate == null ? settings : settings.withMaxRate(rate);
        });
        InetSocketAddress bound = node.localAddress();
        String advertised = publicAddress != null ? publicAddress : bound.getHostString() + ":" + bound.getPort();
        return new NodeAgent(dir, node, sealer, key, advertised, streams, rates);
    }

    public TicketSealer sealer() {
        return sealer;
    }

    /** The node's ticket key: a remote node hands it to its manager over the authenticated node channel. */
    public PreSharedKey ticketKey() {
        return ticketKey;
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
     * Prepares to stream an upload into storage as it arrives: the session of this transfer hands
     * its verified bytes to the store at once. {@code declared} maps each file the client
     * declared to its size; anything else is refused. The store is closed by
     * {@link #finishStreaming} or {@link #abortStreaming}.
     */
    public void expectUpload(String transferId, ObjectStore store, String prefix, Overwrite overwrite, Map<String, Long> declared,
            LongConsumer progress) {
        streams.put(transferId, new StreamingUpload(transferId, store, prefix, new UploadOptions(overwrite, StreamingUpload.PARTS_IN_FLIGHT),
                declared, progress));
        storesOf.put(transferId, store);
    }

    private final java.util.concurrent.ConcurrentHashMap<String, ObjectStore> storesOf = new java.util.concurrent.ConcurrentHashMap<>();

    /** Waits until everything streamed is committed: the objects, or the first failure (nothing uncommitted left). */
    public List<ObjectInfo> finishStreaming(String transferId, long timeoutSeconds) throws StorageException {
        StreamingUpload stream = streams.remove(transferId);
        if (stream == null) {
            throw new StorageException(StorageError.IO, "transfer " + transferId + " was not streaming");
        }
        try {
            return stream.finish(timeoutSeconds);
        } finally {
            closeStore(transferId);
        }
    }

    /** Stops streaming a transfer that failed or was cancelled: nothing uncommitted is left in storage. */
    public void abortStreaming(String transferId, String reason) {
        StreamingUpload stream = streams.remove(transferId);
        if (stream != null) {
            stream.abort(reason);
        }
        closeStore(transferId);
    }

    private void closeStore(String transferId) {
        ObjectStore store = storesOf.remove(transferId);
        if (store != null) {
            store.close();
        }
    }

    /**
     * Fetches objects into the transfer's spool for a client to download. They are staged in a
     * directory outside every ticket's scope and moved into the spool in one rename when all are
     * there: until then a download session of the transfer is refused ("nothing to download"), so
     * no client ever reads a half-prepared spool.
     */
    public List<PreparedFile> prepareDownload(String transferId, ObjectStore store, String prefix, List<ObjectInfo> objects,
            LongConsumer progress) throws StorageException, IOException {
        Path root = staging(transferId);
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
        Files.move(root, spool(transferId), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return prepared;
    }

    /** Where a download is staged while it is prepared: beside the spools, in no ticket's scope (a transfer id has no '.'). */
    private Path staging(String transferId) {
        return dir.resolve(SPOOL).resolve(".preparing-" + transferId);
    }

    /**
     * Caps the rate at which this node sends the transfer's download session (a partner token's
     * or the request's max rate): the node is the sender, so the ceiling must be applied here.
     */
    public void limitSendRate(String transferId, double bytesPerSecond) {
        rates.put(transferId, bytesPerSecond);
    }

    /** Deletes a transfer's spool directory (and a download's staging) and everything in it. */
    public void discard(String transferId) {
        rates.remove(transferId);
        delete(transferId, staging(transferId));
        delete(transferId, spool(transferId));
    }

    private static void delete(String transferId, Path root) {
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

    @Override
    public void close() {
        transport.close();
        // Sessions that ended with the transport normally abort their own streams; whatever is left, abort here.
        for (String transferId : java.util.List.copyOf(streams.keySet())) {
            abortStreaming(transferId, "the node stopped");
        }
    }
}
