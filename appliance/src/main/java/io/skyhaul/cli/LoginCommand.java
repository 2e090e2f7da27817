package io.skyhaul.cli;

import io.skyhaul.client.ManagerClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", mixinStandardHelpOptions = true, description = "Sign in to a manager and keep an API token for the other commands"
        + " (in ~/.config/skyhaul/credentials.json, mode 0600).", footer = ExitCodes.HELP)
final class LoginCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, paramLabel = "URL", description = "The manager, e.g. https://manager.example.com:8080 or http://127.0.0.1:8080.")
    String server;

    @Option(names = "--user", defaultValue = "admin", paramLabel = "NAME", description = "User name. Default: ${DEFAULT-VALUE}.")
    String user;

    @Option(names = "--password-stdin", description = "Read the password from standard input (for scripts); otherwise from SKYHAUL_PASSWORD or a prompt.")
    boolean passwordStdin;

    @Override
    public Integer call() throws IOException {
        String password = password();
        if (password == null || password.isEmpty()) {
            System.err.println("skyhaul login: no password given (use a terminal, --password-stdin or SKYHAUL_PASSWORD)");
            return ExitCodes.USAGE;
        }
        String host = java.net.InetAddress.getLocalHost().getHostName();
        try {
            JsonNode r = new ManagerClient(server, null).post("auth/login", Map.of("username", user, "password", password, "tokenName",
                    "cli@" + host));
            new Credentials(server.replaceAll("/+$", ""), r.path("token").asText()).save();
            System.err.println("signed in to " + server + " as " + r.path("username").asText() + " (" + r.path("role").asText() + "); token valid until "
                    + r.path("expiresAt").asText() + ", saved in " + Credentials.dir().resolve(Credentials.FILE));
            return ExitCodes.OK;
        } catch (ManagerClient.ManagerException e) {
            System.err.println("skyhaul login: " + e.getMessage());
            return ExitCodes.of(e);
        }
    }

    private String password() throws IOException {
        if (passwordStdin) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        String env = System.getenv("SKYHAUL_PASSWORD");
        if (env != null) {
            return env;
        }
        Console console = System.console();
        if (console == null) {
            return null;
        }
        char[] typed = console.readPassword("password for %s at %s: ", user, server);
        return typed == null ? null : new String(typed);
    }
}
