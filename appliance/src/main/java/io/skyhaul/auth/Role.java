package io.skyhaul.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a user may do. A partner token is not a user and has its own, narrower rights. */
public enum Role {
    ADMIN("admin"),
    OPERATOR("operator"),
    READ_ONLY("read-only");

    /** Names for {@code @RolesAllowed}. */
    public static final String ADMIN_NAME = "admin";
    public static final String OPERATOR_NAME = "operator";
    public static final String READ_ONLY_NAME = "read-only";
    public static final String PARTNER_NAME = "partner";
    /** A remote node, through its node key: only the node channel. */
    public static final String NODE_NAME = "node";
    /** An activated gateway, through its gateway key: the gateway channel, and transfers of its own. */
    public static final String GATEWAY_NAME = "gateway";

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Role parse(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown role '" + name + "' (admin, operator or read-only)"));
    }
}
