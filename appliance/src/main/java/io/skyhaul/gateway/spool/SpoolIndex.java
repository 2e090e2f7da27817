package io.skyhaul.gateway.spool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The spool's state as the log describes it: live entries in acceptance order and the bounded
 * list of recent failures. The same {@link #apply} replays the log at start-up and follows each
 * change at run time, so the two cannot disagree. Not thread-safe: the spool's lock guards it.
 */
final class SpoolIndex {
    private final LinkedHashMap<String, SpoolEntry> entries = new LinkedHashMap<>();
    private final Deque<SpoolFailure> failures = new ArrayDeque<>();
    private final int maxFailures;
    private long bytes;

    SpoolIndex(int maxFailures) {
        this.maxFailures = maxFailures;
    }

    /** What applying a record took out of the index, for the caller to clean up once it is durable. */
    record Removed(List<SpoolEntry> entries, List<SpoolFailure> evictedFailures) {
        static final Removed NOTHING = new Removed(List.of(), List.of());
    }

    /** Applies one change; throws IllegalStateException (and changes nothing) when it does not fit the state. */
    Removed apply(WalRecord record) {
        if (record instanceof WalRecord.Entry r) {
            SpoolEntry e = r.entry();
            if (entries.containsKey(e.id()) || isFailed(e.id())) {
                throw new IllegalStateException("entry " + e.id() + " is recorded twice");
            }
            entries.put(e.id(), e);
            bytes += e.size();
            return Removed.NOTHING;
        }
        if (record instanceof WalRecord.Uploading r) {
            requireLive(r.ids());
            r.ids().forEach(id -> entries.put(id, entries.get(id).uploading(r.transferId(), r.clientRef())));
            return Removed.NOTHING;
        }
        if (record instanceof WalRecord.Retry r) {
            requireLive(r.ids());
            r.ids().forEach(id -> entries.put(id, entries.get(id).retried(r.error())));
            return Removed.NOTHING;
        }
        if (record instanceof WalRecord.Uploaded r) {
            requireLive(r.ids());
            return new Removed(removeAll(r.ids()), List.of());
        }
        if (record instanceof WalRecord.Failed r) {
            String id = r.failure().id();
            requireLive(List.of(id));
            List<SpoolEntry> removed = removeAll(List.of(id));
            failures.addLast(r.failure());
            List<SpoolFailure> evicted = new ArrayList<>();
            while (failures.size() > maxFailures) {
                evicted.add(failures.removeFirst());
            }
            return new Removed(removed, evicted);
        }
        throw new IllegalArgumentException("unknown record " + record);
    }

    /** Throws IllegalArgumentException unless every id is a live entry, each once. */
    void requireLive(Collection<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no entry ids given");
        }
        if (ids.stream().distinct().count() != ids.size()) {
            throw new IllegalArgumentException("an entry id is given twice: " + ids);
        }
        for (String id : ids) {
            if (!entries.containsKey(id)) {
                throw new IllegalArgumentException("no pending spool entry " + id);
            }
        }
    }

    SpoolEntry get(String id) {
        return entries.get(id);
    }

    boolean contains(String id) {
        return entries.containsKey(id) || isFailed(id);
    }

    boolean isFailed(String id) {
        return failures.stream().anyMatch(f -> f.id().equals(id));
    }

    Collection<SpoolEntry> entries() {
        return entries.values();
    }

    List<SpoolFailure> failures() {
        return List.copyOf(failures);
    }

    long bytes() {
        return bytes;
    }

    int files() {
        return entries.size();
    }

    /** How many records {@link #snapshot} holds: what the log would shrink to. */
    long liveRecords() {
        return entries.size() + 2L * failures.size();
    }

    /** The records a compacted log holds: exactly this state, nothing of its history. */
    List<WalRecord> snapshot() {
        List<WalRecord> live = new ArrayList<>(entries.size() + failures.size());
        // Failures first: replaying them needs their entry live, so each is written as that entry, then its failure.
        for (SpoolFailure f : failures) {
            live.add(new WalRecord.Entry(new SpoolEntry(f.id(), f.location(), f.path(), f.size(), f.sha256Hex(), f.acceptedAt(),
                    SpoolEntry.State.QUEUED, null, null, f.attempts(), null)));
            live.add(new WalRecord.Failed(f));
        }
        entries.values().forEach(e -> live.add(new WalRecord.Entry(e)));
        return live;
    }

    private List<SpoolEntry> removeAll(List<String> ids) {
        List<SpoolEntry> removed = new ArrayList<>(ids.size());
        for (String id : ids) {
            SpoolEntry e = entries.remove(id);
            bytes -= e.size();
            removed.add(e);
        }
        return removed;
    }
}
