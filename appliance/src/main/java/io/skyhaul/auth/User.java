package io.skyhaul.auth;

import java.time.Instant;

/** A person or automation account that signs in with a password and holds API tokens. */
public record User(String id, String username, Role role, Instant createdAt, boolean disabled) {
}
