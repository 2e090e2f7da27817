package io.skyhaul.gateway;

/**
 * Whether the gateway starts transfers (the manager's {@code pause} and {@code resume}). Kept in
 * the gateway's state, so a paused gateway stays paused across restarts. Files keep being
 * watched and spooled while paused; only sending waits.
 */
final class Pause {
    static final String SETTING = "paused";

    private final GatewayState state;
    private boolean paused;

    Pause(GatewayState state) {
        this.state = state;
        this.paused = state.setting(SETTING).map(Boolean::parseBoolean).orElse(false);
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized void set(boolean p) {
        state.setSetting(SETTING, Boolean.toString(p));
        paused = p;
        notifyAll();
    }

    /** Returns at once when running; waits while paused. */
    synchronized void awaitRunning() throws InterruptedException {
        while (paused) {
            wait();
        }
    }
}
