package io.skyhaul.auth;

/**
 * Who is calling: a user (through an API token), a partner token, a remote node (through its node
 * key) or an activated gateway (through its gateway key).
 *
 * @param kind user, partner or node
 * @param id the user's or the partner token's id, or the node's name
 * @param name what the transfer log and audit log show
 * @param role the user's role; null for a partner or a node
 */
public record Principal(Kind kind, String id, String name, Role role) implements java.security.Principal {
    public enum Kind {
        USER, PARTNER, NODE, GATEWAY
    }

    public static Principal user(String id, String name, Role role) {
        return new Principal(Kind.USER, id, name, role);
    }

    public static Principal partner(String id, String name) {
        return new Principal(Kind.PARTNER, id, name, null);
    }

    public static Principal node(String name) {
        return new Principal(Kind.NODE, name, name, null);
    }

    public static Principal gateway(String name) {
        return new Principal(Kind.GATEWAY, name, name, null);
    }

    /** The name {@code @RolesAllowed} checks: the user's role, or "partner", "node" or "gateway". */
    public String roleName() {
        return switch (kind) {
            case USER -> role.wireName();
            case PARTNER -> Role.PARTNER_NAME;
            case NODE -> Role.NODE_NAME;
            case GATEWAY -> Role.GATEWAY_NAME;
        };
    }

    public boolean isPartner() {
        return kind == Kind.PARTNER;
    }

    /** A partner or a gateway sees only the transfers it made itself. */
    public boolean seesOnlyOwnTransfers() {
        return kind == Kind.PARTNER || kind == Kind.GATEWAY;
    }

    @Override
    public String getName() {
        return name;
    }

    /** What the logs write: "user alice", "partner-token acme-dailies", "node edge-1" or "gateway studio-a". */
    public String describe() {
        return switch (kind) {
            case USER -> "user " + name;
            case PARTNER -> "partner-token " + name;
            case NODE -> "node " + name;
            case GATEWAY -> "gateway " + name;
        };
    }
}
