package io.skyhaul.linkem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's timer slack so that a timed park wakes within a few microseconds
 * of its deadline instead of up to 50 µs late (Linux's default slack). Delivery threads need
 * that precision to pace packets at hundreds of Mbit/s without spinning the CPU. Where the
 * call is not available the emulator still works, only with coarser delivery timing.
 */
final class TimerSlack {

    private static final Logger LOG = LoggerFactory.getLogger(TimerSlack.class);

    private TimerSlack() {
    }

    static void reduceForCurrentThread() {
        try {
            int rc = LinuxLibc.prctl(LinuxLibc.PR_SET_TIMERSLACK, LinkDefaults.DELIVERY_TIMER_SLACK_NANOS, 0, 0, 0);
            if (rc != 0) {
                LOG.debug("prctl(PR_SET_TIMERSLACK) refused on {}: errno {}", Thread.currentThread().getName(),
                        LinuxLibc.errno());
            }
        } catch (LinkageError e) {
            LOG.debug("timer slack unchanged on {} ({}); delivery timing is coarser", Thread.currentThread().getName(),
                    e.toString());
        }
    }
}
