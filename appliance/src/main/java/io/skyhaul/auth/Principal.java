package io.skyhaul.auth;

/**
 * Who is calling: a user (through an API token) or a partner token.
 *
 * @param kind user or partner
 * @param id the user's or the partner token's id
 * @param name what the transfer log and audit log show
 * @param role the user's role; null for a partner
 */
public record Principal(Kind kind, String id, String name, Role role) implements java.security.Principal {
    public enum Kind {
        USER, PARTNER
    }

    public static Principal user(String id, String name, Role role) {
        return new Principal(Kind.USER, id, name, role);
    }

    public static Principal partner(String id, String name) {
        return new Principal(Kind.PARTNER, id, name, null);
    }

    public boolean isPartner() {
        return kind == Kind.PARTNER;
    }

    @Override
    public String getName() {
        return name;
    }

    /** What the logs write: "user alice" or "partner-token acme-dailies". */
    public String describe() {
        return (kind == Kind.USER ? "user " : "partner-token ") + name;
    }
}
