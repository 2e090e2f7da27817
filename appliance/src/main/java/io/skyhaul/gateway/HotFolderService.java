package io.skyhaul.gateway;

import io.skyhaul.config.HotFolderConfig;
import io.skyhaul.gateways.GatewayMessages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's hot folders: one {@link HotFolderWorker} each. Folders come from the config file
 * (applied again at every start: the file is their source of truth) and from the manager's
 * {@code hot-folder.set} commands (kept in the gateway's state until removed).
 */
final class HotFolderService implements HotFolderControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HotFolderService.class);
    /** Hot folders at most, as in the configuration file (its status must fit in one report). */
    static final int MAX_FOLDERS = 100;

    private final GatewayState state;
    private final HotFileStore files;
    private final GatewayTransfers transfers;
    private final Pause pause;
    private final Refusals refusals;
    private final Clock clock;
    private final Map<String, HotFolderWorker> workers = new TreeMap<>();

    HotFolderService(GatewayState state, HotFileStore files, GatewayTransfers transfers, Pause pause, Refusals refusals, Clock clock) {
        this.state = state;
        this.files = files;
        this.transfers = transfers;
        this.pause = pause;
        this.refusals = refusals;
        this.clock = clock;
    }

    /** Applies the config file's folders (replacing those it set before), then starts every stored folder. */
    synchronized void start(List<HotFolderConfig> fromConfig) {
        Set<String> configured = fromConfig.stream().map(HotFolderConfig::name).collect(Collectors.toSet());
        for (GatewayState.StoredFolder f : state.hotFolders()) {
            if (f.origin().equals("config") && !configured.contains(f.config().name())) {
                state.removeHotFolder(f.config().name());
                LOG.info("hot folder '{}' is no longer in the config file: not watched any more", f.config().name());
            }
        }
        for (HotFolderConfig f : fromConfig) {
            state.saveHotFolder(f, "config");
        }
        for (GatewayState.StoredFolder f : state.hotFolders()) {
            launch(f.config());
        }
    }

    @Override
    public synchronized void set(HotFolderConfig folder, String origin) {
        if (!workers.containsKey(folder.name()) && workers.size() >= MAX_FOLDERS) {
            throw new IllegalArgumentException("this gateway already watches " + MAX_FOLDERS + " hot folders, the most it may; remove one first");
        }
        for (GatewayState.StoredFolder f : state.hotFolders()) {
            if (f.config().name().equals(folder.name())) {
                continue;
            }
            if (folder.overlaps(f.config())) {
                throw new IllegalArgumentException(folder.path() + " overlaps hot folder '" + f.config().name() + "' (" + f.config().path()
                        + "); a file must belong to one folder");
            }
        }
        state.saveHotFolder(folder, origin);
        launch(folder);
    }

    @Override
    public synchronized boolean remove(String name) {
        HotFolderWorker w = workers.remove(name);
        if (w != null) {
            w.close();
        }
        boolean removed = state.removeHotFolder(name);
        if (removed) {
            LOG.info("hot folder '{}' removed: no longer watched (its files stay where they are)", name);
        }
        return removed;
    }

    private void launch(HotFolderConfig folder) {
        HotFolderWorker old = workers.remove(folder.name());
        if (old != null) {
            old.close();
        }
        HotFolderWorker w = new HotFolderWorker(folder, files, state, transfers, pause, refusals, clock);
        workers.put(folder.name(), w);
        w.start();
    }

    synchronized List<String> names() {
        return new ArrayList<>(workers.keySet());
    }

    synchronized List<GatewayMessages.HotFolderStatus> status() {
        return workers.values().stream().map(HotFolderWorker::status).toList();
    }

    synchronized long totalSent() {
        return workers.keySet().stream().mapToLong(n -> state.counts(n).sent()).sum();
    }

    synchronized long totalFailed() {
        return workers.keySet().stream().mapToLong(n -> state.counts(n).failed()).sum();
    }

    @Override
    public synchronized void close() {
        workers.values().forEach(HotFolderWorker::close);
        workers.clear();
    }
}
