package io.skyhaul.gateway.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a body once its entry left the queue durably (uploaded or given up): it is
 * deleted or moved aside, and only then is its space released. The log already says the entry
 * is gone, so a file that will not go is no reason to fail the call: it is logged, stays
 * counted, and the next start removes (or moves) it.
 */
final class BodyDisposal {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    private final SpoolLayout layout;
    private final LongConsumer released;

    BodyDisposal(SpoolLayout layout, LongConsumer released) {
        this.layout = layout;
        this.released = released;
    }

    void delete(SpoolEntry e, String why, boolean failure) {
        Path file = layout.dataFile(e.id());
        try {
            Files.deleteIfExists(file);
        } catch (IOException ex) {
            LOG.error("spool {}: {}, but its data file {} could not be deleted; its {} bytes stay counted until the next start removes it",
                    e.id(), why, file, e.size(), ex);
            return;
        }
        released.accept(e.size());
        if (failure) {
            LOG.warn("spool {}: {}, data file deleted, {} bytes released", e.id(), why, e.size());
        } else {
            LOG.info("spool {}: {}, data file deleted, {} bytes released", e.id(), why, e.size());
        }
    }

    /** Moves a given-up body to failed/, outside the spool's quota. */
    void keep(SpoolEntry e, String why) {
        Path kept = layout.failedFile(e.id());
        try {
            Files.move(layout.dataFile(e.id()), kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            LOG.error("spool {}: {}, but its data file could not be moved to {}; the next start moves it", e.id(), why, kept, ex);
            return;
        }
        released.accept(e.size());
        LOG.warn("spool {}: {}, body kept in {}", e.id(), why, kept);
    }

    /** A kept body whose failure fell off the bounded list of recent failures. */
    void deleteEvicted(SpoolFailure old, int maxRecentFailures) {
        Path file = layout.failedFile(old.id());
        try {
            Files.deleteIfExists(file);
            LOG.info("spool {}: kept body of an old failure deleted (more than {} recent failures)", old.id(), maxRecentFailures);
        } catch (IOException ex) {
            LOG.error("spool {}: kept body {} of an old failure could not be deleted; the next start deletes it", old.id(), file, ex);
        }
    }
}
