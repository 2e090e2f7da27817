package io.skyhaul.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;

/** Follows a transfer on the manager until it reaches a wanted state, ends otherwise, or stops moving. */
public final class TransferWatch {
    public static final Set<String> FINAL = Set.of("done", "failed", "cancelled", "expired");

    /** The transfer ended in another state than the one waited for, or stopped moving; the message says which and why. */
    public static final class Ended extends Exception {
        private final String state;

        Ended(String state, String message) {
            super(message);
            this.state = state;
        }

        /** The state it ended in, or the state it was stuck in. */
        public String state() {
            return state;
        }
    }

    private TransferWatch() {
    }

    /**
     * Polls {@code GET /transfers/{id}} every {@code poll} until its state is {@code wanted} (the
     * detail is returned); a final state other than that, or neither state nor bytes moving for
     * {@code stall}, is {@link Ended}.
     */
    public static JsonNode await(ManagerClient manager, String id, String wanted, Duration stall, Duration poll)
            throws Ended, ManagerClient.ManagerException, InterruptedException {
        long lastChange = System.nanoTime();
        String lastSeen = "";
        while (true) {
            JsonNode detail = manager.get("transfers/" + id);
            JsonNode t = detail.path("transfer");
            String state = t.path("state").asText();
            if (state.equals(wanted)) {
                return detail;
            }
            if (FINAL.contains(state)) {
                throw new Ended(state, "transfer " + id + " " + state + (t.hasNonNull("error") ? ": " + t.get("error").asText() : ""));
            }
            String seen = state + "/" + t.path("bytesDone").asLong();
            if (!seen.equals(lastSeen)) {
                lastSeen = seen;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > stall.toNanos()) {
                throw new Ended(state, "transfer " + id + " has not moved for " + stall.toMinutes() + " minutes (state " + state + ")");
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
