package io.skyhaul.gateway.spool;

import java.util.List;

/**
 * One change of the spool's state as the write-ahead log keeps it. Replaying the records in
 * order rebuilds the state exactly; {@link Entry} and {@link Failed} are self-contained, so a
 * compacted log is just those two kinds, one per live entry or remembered failure.
 */
sealed interface WalRecord {

    /** An acknowledged body, in its full current state (written on accept and by compaction). */
    record Entry(SpoolEntry entry) implements WalRecord {
    }

    record Uploading(List<String> ids, String transferId, String clientRef) implements WalRecord {
        public Uploading {
            ids = List.copyOf(ids);
        }
    }

    record Retry(List<String> ids, String error) implements WalRecord {
        public Retry {
            ids = List.copyOf(ids);
        }
    }

    record Uploaded(List<String> ids, String transferId) implements WalRecord {
        public Uploaded {
            ids = List.copyOf(ids);
        }
    }

    record Failed(SpoolFailure failure) implements WalRecord {
    }
}
