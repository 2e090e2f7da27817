package io.skyhaul.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.transfers.SessionGrant;
import io.skyhaul.client.ManagerClient;
import io.skyhaul.client.TransferWatch;
import io.skyhaul.transport.files.ManifestEntry;
import io.skyhaul.transport.files.TransferRefusedException;
import io.skyhaul.transport.files.TransferSource;
import io.skyhaul.transport.session.ProgressListener;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code send} and {@code get} through a manager: ask it for the transfer (it checks the
 * caller's rights and picks a node), run the UDP session with the ticket it returns, then follow
 * the transfer until the node has written the files to storage (or, for a download, until it has
 * staged them, before the session).
 */
final class ManagedTransfer {
    /** Give up following a transfer whose state and bytes have not moved for this long. */
    static final java.time.Duration STALL = java.time.Duration.ofMinutes(10);
    static final java.time.Duration POLL = java.time.Duration.ofMillis(300);

    /** The outcome: the transfer as the manager logged it, and the UDP session's own figures. */
    record Outcome(JsonNode transfer, TransferReport session) {
    }

    static final class Failed extends Exception {
        final int exitCode;

        Failed(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private final ManagerClient manager;
    private final TransportSettings settings;

    ManagedTransfer(ManagerClient manager, TransportSettings settings) {
        this.manager = manager;
        this.settings = settings;
    }

    static ManagerClient connect(String tokenOverride) throws Failed {
        try {
            var creds = Credentials.load();
            if (creds.isEmpty()) {
                throw new Failed(ExitCodes.USAGE, "no manager known: run 'skyhaul login --server URL' first (or set SKYHAUL_SERVER)");
            }
            String token = tokenOverride != null ? tokenOverride : creds.get().token();
            if (token == null) {
                throw new Failed(ExitCodes.USAGE, "not signed in: run 'skyhaul login' or pass --token");
            }
            return new ManagerClient(creds.get().server(), token);
        } catch (IOException e) {
            throw new Failed(ExitCodes.LOCAL_IO, "cannot read the saved credentials in " + Credentials.dir() + ": " + e.getMessage());
        }
    }

    Outcome upload(List<Path> paths, String location, Double maxRateBytesPerSecond, String policy, String overwrite, ProgressListener progress)
            throws Failed, ManagerClient.ManagerException {
        List<Map<String, Object>> files = new ArrayList<>();
        try (TransferSource source = TransferSource.ofLocalPaths(paths)) {
            for (ManifestEntry e : source.manifest().entries()) {
                if (!e.directory()) {
                    files.add(Map.of("path", e.path(), "size", e.size()));
                }
            }
        } catch (TransferRefusedException e) {
            throw new Failed(ExitCodes.REFUSED, e.getMessage());
        } catch (IOException e) {
            throw new Failed(ExitCodes.LOCAL_IO, e.getMessage());
        }
        if (files.isEmpty()) {
            throw new Failed(ExitCodes.REFUSED, "nothing to send: the paths hold no files (object storage keeps files, not empty directories)");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("direction", "upload");
        request.put("location", location);
        request.put("files", files);
        if (maxRateBytesPerSecond != null) {
            request.put("maxRate", (long) (maxRateBytesPerSecond * 8));
        }
        request.put("policy", policy);
        if (overwrite != null) {
            request.put("overwrite", overwrite);
        }
        JsonNode created = manager.post("transfers", request);
        String id = created.path("transfer").path("id").asText();
        SessionGrant grant = manager.convert(created.get("session"), SessionGrant.class);
        TransferReport report;
        try {
            report = new TransferClient(withRate(created)).send(grant.nodeAddress(), grant.ticket(), grant.sealed(), paths, progress);
        } catch (TransferException e) {
            throw new Failed(e.error().exitCode(), "transfer " + id + ": " + e.getMessage());
        }
        return new Outcome(follow(id, "done"), report);
    }

    Outcome download(String location, Path dir, ProgressListener progress) throws Failed, ManagerClient.ManagerException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("direction", "download");
        request.put("location", location);
        JsonNode created = manager.post("transfers", request);
        String id = created.path("transfer").path("id").asText();
        SessionGrant grant = manager.convert(created.get("session"), SessionGrant.class);
        JsonNode ready = follow(id, "ready");
        LinkedHashSet<String> tops = new LinkedHashSet<>();
        for (JsonNode f : ready.path("files")) {
            String p = f.path("path").asText();
            tops.add(p.contains("/") ? p.substring(0, p.indexOf('/')) : p);
        }
        TransferReport report;
        try {
            report = new TransferClient(withRate(created)).get(grant.nodeAddress(), grant.ticket(), grant.sealed(), new ArrayList<>(tops), dir,
                    progress);
        } catch (TransferException e) {
            throw new Failed(e.error().exitCode(), "transfer " + id + ": " + e.getMessage());
        }
        return new Outcome(follow(id, "done"), report);
    }

    /** Polls the transfer until it reaches {@code wanted}; fails if it ends otherwise or stops moving. */
    private JsonNode follow(String id, String wanted) throws Failed, ManagerClient.ManagerException {
        try {
            return TransferWatch.await(manager, id, wanted, STALL, POLL);
        } catch (TransferWatch.Ended e) {
            throw new Failed(ExitCodes.TRANSFER_FAILED, e.getMessage() + (TransferWatch.FINAL.contains(e.state()) ? "" : "; follow it with 'skyhaul transfers'"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed(ExitCodes.TRANSFER_FAILED, "interrupted");
        }
    }

    private TransportSettings withRate(JsonNode created) {
        JsonNode rate = created.path("transfer").path("maxRate");
        return rate.isNumber() ? settings.withMaxRate(rate.asDouble() / 8) : settings;
    }

}
