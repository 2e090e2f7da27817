package io.skyhaul.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.client.ManagerClient;
import io.skyhaul.gateways.GatewayActivations;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.vault.PublicKeySeal;
import io.skyhaul.vault.VaultException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Getting activated: the gateway sends its public key to the manager, shows the code it gets
 * (log and local status) and asks every few seconds whether an admin entered it. A code that
 * expired is replaced by a new one, shown the same way. Once activated, the gateway key arrives
 * sealed to this gateway's key pair; it is opened and saved, and only then used.
 */
final class Activation {
    private static final Logger LOG = LoggerFactory.getLogger(Activation.class);

    /** The code on show, for the local status page and API. */
    record Waiting(String code, Instant expiresAt, String fingerprint) {
    }

    private final ManagerClient manager;
    private final GatewayIdentity identity;
    private final String hostname;
    private final String version;
    private volatile Waiting waiting;

    Activation(String managerUrl, GatewayIdentity identity, String hostname, String version) {
        this.manager = new ManagerClient(managerUrl, null);
        this.identity = identity;
        this.hostname = hostname;
        this.version = version;
    }

    Optional<Waiting> waiting() {
        return Optional.ofNullable(waiting);
    }

    /** Blocks until an admin has activated this gateway; its credentials are saved before they are returned. */
    GatewayIdentity.Credentials await() throws InterruptedException, IOException {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        while (true) {
            GatewayMessages.ActivationTicket ticket;
            try {
                ticket = ask();
            } catch (ManagerClient.ManagerException e) {
                LOG.warn("gateway activation: {}; trying again", e.getMessage());
                backoff.pause();
                continue;
            }
            backoff.reset();
            waiting = new Waiting(ticket.code(), ticket.expiresAt(), ticket.fingerprint());
            LOG.warn("gateway not activated yet: activation code {} (valid until {}, key fingerprint {}). An admin enters it in the manager's"
                    + " console (Gateways), or runs 'skyhaul gateways activate {} NAME' against {}", ticket.code(), ticket.expiresAt(),
                    ticket.fingerprint(), ticket.code(), manager.server());
            Optional<GatewayIdentity.Credentials> done = follow(ticket);
            if (done.isPresent()) {
                waiting = null;
                return done.get();
            }
        }
    }

    private GatewayMessages.ActivationTicket ask() throws ManagerClient.ManagerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("publicKey", PublicKeySeal.encode(identity.keyPair().getPublic()));
        body.put("hostname", hostname);
        body.put("version", version);
        return manager.convert(manager.post("gateway/activations", body), GatewayMessages.ActivationTicket.class);
    }

    /** Polls one code until activated (the credentials), or expired or lost (empty: ask for a new code). */
    private Optional<GatewayIdentity.Credentials> follow(GatewayMessages.ActivationTicket ticket) throws InterruptedException, IOException {
        Backoff backoff = new Backoff(Duration.ofSeconds(ticket.pollSeconds()), Duration.ofSeconds(30));
        while (true) {
            Thread.sleep(Duration.ofSeconds(Math.max(1, ticket.pollSeconds())).toMillis());
            JsonNode state;
            try {
                state = manager.get("gateway/activations/" + ticket.id());
                backoff.reset();
            } catch (ManagerClient.ManagerException e) {
                if (e.status() == 410 || e.status() == 404) {
                    LOG.warn("gateway activation: code {} {}; asking for a new one", ticket.code(), e.status() == 410 ? "expired" : "is unknown to the manager");
                    return Optional.empty();
                }
                LOG.warn("gateway activation: {}; trying again", e.getMessage());
                backoff.pause();
                continue;
            }
            switch (state.path("state").asText()) {
                case "pending" -> {
                }
                case "activated" -> {
                    return Optional.of(open(ticket, state));
                }
                default -> {
                    LOG.warn("gateway activation: code {} was used, but this gateway never received its key; asking for a new code", ticket.code());
                    return Optional.empty();
                }
            }
        }
    }

    private GatewayIdentity.Credentials open(GatewayMessages.ActivationTicket ticket, JsonNode state) throws IOException {
        byte[] key;
        try {
            key = PublicKeySeal.open(identity.keyPair(), Base64.getDecoder().decode(state.path("sealedKey").asText()),
                    GatewayActivations.sealedFor(ticket.id()));
        } catch (VaultException | IllegalArgumentException e) {
            throw new IOException("the manager's answer to activation " + ticket.code() + " does not open with this gateway's key: " + e.getMessage());
        }
        GatewayIdentity.Credentials c = new GatewayIdentity.Credentials(manager.server(), state.path("name").asText(),
                new String(key, StandardCharsets.UTF_8));
        identity.saveCredentials(c);
        LOG.info("gateway activated as '{}' by the manager at {}", c.name(), c.manager());
        return c;
    }
}
