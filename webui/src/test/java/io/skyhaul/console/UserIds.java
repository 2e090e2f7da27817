package io.skyhaul.console;

import io.skyhaul.testing.RunningAppliance;

/** Ids the tests look up through the API. */
final class UserIds {
    private UserIds() {
    }

    static String adminId(RunningAppliance appliance) {
        return userId(appliance, "admin");
    }

    static String userId(RunningAppliance appliance, String username) {
        for (var u : appliance.get("users", appliance.adminToken()).json()) {
            if (u.path("username").asText().equals(username)) {
                return u.path("id").asText();
            }
        }
        throw new AssertionError("no user " + username);
    }
}
