package io.skyhaul.transport.session;

/** Receives progress of a running transfer, from the session's thread; must return quickly. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total, rate) -> { };

    /**
     * @param bytesDone bytes of the byte space the receiver holds
     * @param bytesTotal size of the byte space (0 while unknown)
     * @param rateBytesPerSecond current sending or receiving rate
     */
    void progress(long bytesDone, long bytesTotal, double rateBytesPerSecond);
}
