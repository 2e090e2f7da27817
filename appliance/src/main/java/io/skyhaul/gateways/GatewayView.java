package io.skyhaul.gateways;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A gateway as the manager knows it: when and by whom it was activated, its key's fingerprint,
 * when it was last heard from, and the status it last reported (hot folders, spool, transfers,
 * refusals).
 *
 * @param online heard from within {@link GatewayRegistry#ONLINE_WINDOW}
 * @param active activated and not deactivated
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayView(String name, String fingerprint, String hostname, Instant activatedAt, String activatedBy, Instant deactivatedAt,
        Instant lastContact, boolean online, boolean active, GatewayMessages.Status status) {
}
