package io.skyhaul.linkem;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counters of one direction. Receive threads and the delivery thread update them
 * concurrently; {@link #snapshot} reads them for reports and tests.
 */
final class DirectionCounters {

    final AtomicLong received = new AtomicLong();
    final AtomicLong receivedBytes = new AtomicLong();
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong forwardedBytes = new AtomicLong();
    final AtomicLong droppedLoss = new AtomicLong();
    final AtomicLong droppedQueue = new AtomicLong();
    final AtomicLong droppedOverrun = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();
    final AtomicLong sendErrors = new AtomicLong();

    DirectionStats snapshot(String name) {
        return new DirectionStats(name, received.get(), receivedBytes.get(), forwarded.get(), forwardedBytes.get(),
                droppedLoss.get(), droppedQueue.get(), droppedOverrun.get(), duplicated.get(), reordered.get(),
                sendErrors.get());
    }
}
