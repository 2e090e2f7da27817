package io.skyhaul.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.client.ManagerClient;
import io.skyhaul.client.TransferWatch;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.transfers.SessionGrant;
import io.skyhaul.transport.files.ManifestEntry;
import io.skyhaul.transport.files.TransferRefusedException;
import io.skyhaul.transport.files.TransferSource;
import io.skyhaul.transport.session.ProgressListener;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransportSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's transfers through its manager. Sends a batch of the gateway's files to a location: the manager allocates
 * a node and a ticket, the files go over UDP, and the call returns once the node has committed
 * them (the whole-file digests checked). Every batch carries the caller's client reference, so
 * after a crash the same batch asked again finds what happened: a transfer already done is not
 * sent again, one left open is cancelled and sent anew. Fetches a location into a directory
 * of the gateway the same way, for the manager's {@code transfer} commands.
 */
final class GatewayTransfers {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayTransfers.class);
    static final Duration STALL = Duration.ofMinutes(10);
    static final Duration POLL = Duration.ofMillis(300);
    private static final java.util.Set<String> CANCELLABLE = java.util.Set.of("waiting", "ready", "preparing");

    /** The manager refused the batch for good (bad location, not allowed, a file gone): trying again will not help. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** Something failed on the way (manager or node unreachable, the session or the storage failed): try again later. */
    static final class Failed extends Exception {
        private final boolean managerUnreachable;

        Failed(String message) {
            this(message, false);
        }

        Failed(String message, boolean managerUnreachable) {
            super(message);
            this.managerUnreachable = managerUnreachable;
        }

        /** A try that reached the manager counts against the batch; one that could not reach it does not. */
        boolean countsAsAttempt() {
            return !managerUnreachable;
        }
    }

    private final ManagerAccess access;
    private final TransportSettings settings;
    private final Map<String, GatewayMessages.ActiveTransfer> active = new ConcurrentHashMap<>();

    GatewayTransfers(ManagerAccess access, TransportSettings settings) {
        this.access = access;
        this.settings = settings;
    }

    /** Transfers running now, for the status report. */
    List<GatewayMessages.ActiveTransfer> active() {
        return List.copyOf(active.values());
    }

    /** Sends {@code files} to {@code location}; returns the id of the transfer that holds them once it is done. */
    String upload(String location, List<TransferSource.NamedFile> files, String clientRef, Long maxRateBps, String source)
            throws Refused, Failed, InterruptedException {
        ManagerClient manager = access.await();
        try {
            String already = settle(manager, clientRef);
            if (already != null) {
                LOG.info("{}: batch {} was already sent in transfer {}", source, clientRef, already);
                return already;
            }
            return send(manager, location, files, clientRef, maxRateBps, source);
        } catch (ManagerClient.ManagerException e) {
            throw failure(e);
        }
    }

    /**
     * What became of earlier attempts with this reference: the id of one that is done (nothing to
     * send), or null after waiting for one still publishing and cancelling those not started.
     */
    private String settle(ManagerClient manager, String clientRef) throws ManagerClient.ManagerException, InterruptedException {
        for (JsonNode t : manager.get("transfers?clientRef=" + clientRef + "&limit=20")) {
            String id = t.path("id").asText();
            String state = t.path("state").asText();
            if (state.equals("done")) {
                return id;
            }
            if (state.equals("publishing")) {
                try {
                    TransferWatch.await(manager, id, "done", STALL, POLL);
                    return id;
                } catch (TransferWatch.Ended e) {
                    LOG.info("earlier attempt {} of batch {} ended: {}", id, clientRef, e.getMessage());
                }
            } else if (CANCELLABLE.contains(state)) {
                try {
                    manager.post("transfers/" + id + "/cancel", Map.of());
                    LOG.info("earlier attempt {} of batch {} cancelled (it was {}); sending again", id, clientRef, state);
                } catch (ManagerClient.ManagerException e) {
                    if (e.status() != 409) {
                        throw e;
                    }
                    // It ended between the listing and the cancel: if it ended done, the batch is sent.
                    if (manager.get("transfers/" + id).path("transfer").path("state").asText().equals("done")) {
                        return id;
                    }
                }
            }
        }
        return null;
    }

    private String send(ManagerClient manager, String location, List<TransferSource.NamedFile> files, String clientRef, Long maxRateBps,
            String source) throws ManagerClient.ManagerException, Refused, Failed, InterruptedException {
        try (TransferSource ts = TransferSource.ofNamedFiles(files)) {
            List<Map<String, Object>> declared = new ArrayList<>();
            long bytes = 0;
            for (ManifestEntry e : ts.manifest().entries()) {
                declared.add(Map.of("path", e.path(), "size", e.size()));
                bytes += e.size();
            }
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("direction", "upload");
            request.put("location", location);
            request.put("files", declared);
            request.put("clientRef", clientRef);
            if (maxRateBps != null) {
                request.put("maxRate", maxRateBps);
            }
            JsonNode created = manager.post("transfers", request);
            String id = created.path("transfer").path("id").asText();
            SessionGrant grant = manager.convert(created.get("session"), SessionGrant.class);
            JsonNode rate = created.path("transfer").path("maxRate");
            TransportSettings s = rate.isNumber() ? settings.withMaxRate(rate.asDouble() / 8) : settings;
            try {
                session(manager, id, source, declared.size(), bytes, progress -> new TransferClient(s).send(grant.nodeAddress(), grant.ticket(),
                        grant.sealed(), ts, progress));
                LOG.info("{}: {} file(s), {} bytes sent to {} (transfer {})", source, declared.size(), bytes, location, id);
                return id;
            } catch (TransferException e) {
                throw new Failed("transfer " + id + ": " + e.getMessage());
            } catch (TransferWatch.Ended e) {
                throw new Failed(e.getMessage());
            }
        } catch (TransferRefusedException e) {
            throw new Refused(e.getMessage());
        } catch (IOException e) {
            throw new Failed("cannot read the files: " + e.getMessage());
        }
    }


    /** The UDP session of a transfer. */
    private interface Session {
        void run(ProgressListener progress) throws TransferException;
    }

    /** Runs transfer {@code id}'s session, shown among the active transfers meanwhile, then waits until the manager has it done. */
    private void session(ManagerClient manager, String id, String source, int files, long bytes, Session session)
            throws TransferException, TransferWatch.Ended, ManagerClient.ManagerException, InterruptedException {
        active.put(id, new GatewayMessages.ActiveTransfer(id, source, files, bytes, 0));
        try {
            session.run((done, all, rate) -> active.put(id, new GatewayMessages.ActiveTransfer(id, source, files, bytes, Math.min(done, bytes))));
            TransferWatch.await(manager, id, "done", STALL, POLL);
        } finally {
            active.remove(id);
        }
    }

    /** What the manager's answer means: trying later may help (not reached, 5xx, 429, a conflict of the moment), or it is a refusal. */
    private static Failed failure(ManagerClient.ManagerException e) throws Refused {
        if (e.isTransient() || e.status() == 409) {
            return new Failed(e.getMessage(), e.status() == 0);
        }
        throw new Refused(e.getMessage());
    }

    /** Fetches everything under {@code location} into {@code dir}; returns the transfer's id once the files are verified and in place. */
    String download(String location, java.nio.file.Path dir, String clientRef, String source) throws Refused, Failed, InterruptedException {
        ManagerClient manager = access.await();
        try {
            String already = settle(manager, clientRef);
            if (already != null) {
                return already;
            }
            JsonNode created = manager.post("transfers", Map.of("direction", "download", "location", location, "clientRef", clientRef));
            String id = created.path("transfer").path("id").asText();
            SessionGrant grant = manager.convert(created.get("session"), SessionGrant.class);
            JsonNode ready = TransferWatch.await(manager, id, "ready", STALL, POLL);
            java.util.LinkedHashSet<String> tops = new java.util.LinkedHashSet<>();
            long bytes = 0;
            for (JsonNode f : ready.path("files")) {
                String p = f.path("path").asText();
                tops.add(p.contains("/") ? p.substring(0, p.indexOf('/')) : p);
                bytes += f.path("size").asLong();
            }
            int count = ready.path("files").size();
            session(manager, id, source, count, bytes, progress -> new TransferClient(settings).get(grant.nodeAddress(), grant.ticket(),
                    grant.sealed(), new ArrayList<>(tops), dir, progress));
            LOG.info("{}: {} file(s), {} bytes fetched from {} into {} (transfer {})", source, count, bytes, location, dir, id);
            return id;
        } catch (ManagerClient.ManagerException e) {
            throw failure(e);
        } catch (TransferException | TransferWatch.Ended e) {
            throw new Failed(e.getMessage());
        }
    }

    /**
     * Deletes the object a mirrored file was sent to ({@code propagateDeletes}); true when it is
     * gone (or was never there), false when the manager could not be asked (tried again later).
     */
    boolean deleteAtDestination(String location, String path, String source) {
        ManagerClient manager = access.current().orElse(null);
        if (manager == null) {
            return false;
        }
        String target = location + (location.endsWith("/") ? "" : "/") + path;
        try {
            manager.delete("objects?location=" + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8));
            LOG.info("{}: {} was deleted here: deleted {} too", source, path, target);
            return true;
        } catch (ManagerClient.ManagerException e) {
            if (e.status() == 404) {
                return true;
            }
            LOG.warn("{}: cannot delete {} (deleted here): {}", source, target, e.getMessage());
            return !e.isTransient();
        }
    }
}
