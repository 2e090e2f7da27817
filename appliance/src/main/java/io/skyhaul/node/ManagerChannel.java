package io.skyhaul.node;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.http.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A node-only process's HTTP(S) client for the node channel of its manager
 * ({@code /api/v1/node/...}), authenticated with the node key. The node opens every connection;
 * the manager never connects to it. Bodies are never logged: tasks carry storage credentials.
 */
final class ManagerChannel {
    /** A request the manager refused or could not be sent; {@code status} 0 when the manager was not reached. */
    static final class ChannelException extends Exception {
        final int status;

        ChannelException(int status, String message) {
            super(message);
            this.status = status;
        }

        boolean unauthorized() {
            return status == 401 || status == 403;
        }

        /** The manager does not know this node as connected (409): register again. */
        boolean notRegistered() {
            return status == 409;
        }
    }

    private final URI base;
    private final String nodeKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = JsonMapper.create();

    ManagerChannel(URI manager, String nodeKey) {
        this.base = URI.create(manager.toString().replaceAll("/+$", "") + "/api/v1/node/");
        this.nodeKey = nodeKey;
    }

    String managerUrl() {
        return base.resolve("/").toString().replaceAll("/+$", "");
    }

    ChannelMessages.Registered register(ChannelMessages.Register r) throws ChannelException {
        return json.convertValue(post("register", r, Duration.ofSeconds(30)), ChannelMessages.Registered.class);
    }

    /** Sends the heartbeat; answers the node's state as the manager sees it (active or draining). */
    String heartbeat(ChannelMessages.Heartbeat h) throws ChannelException {
        return post("heartbeat", h, Duration.ofSeconds(15)).path("state").asText();
    }

    /** The tasks waiting for this node, waiting up to {@code wait} on the manager's side. */
    List<ChannelMessages.Task> tasks(Duration wait) throws ChannelException {
        JsonNode answer = send(HttpRequest.newBuilder(base.resolve("tasks?waitSeconds=" + wait.toSeconds())).GET(), wait.plusSeconds(15));
        return json.convertValue(answer, new TypeReference<List<ChannelMessages.Task>>() { });
    }

    void reports(List<ChannelMessages.Report> reports) throws ChannelException {
        post("reports", new ChannelMessages.Reports(reports), Duration.ofSeconds(60));
    }

    private JsonNode post(String path, Object body, Duration timeout) throws ChannelException {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))), timeout);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(HttpRequest.Builder b, Duration timeout) throws ChannelException {
        b.header("Authorization", "Bearer " + nodeKey).header("Accept", "application/json").timeout(timeout);
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ChannelException(0, "cannot reach the manager at " + managerUrl() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException(0, "interrupted");
        }
        JsonNode body;
        try {
            body = r.body().length == 0 ? json.nullNode() : json.readTree(r.body());
        } catch (IOException e) {
            throw new ChannelException(r.statusCode(), "the manager at " + managerUrl() + " answered " + r.statusCode() + " with something that is not JSON");
        }
        if (r.statusCode() / 100 != 2) {
            String detail = body.path("detail").asText("");
            throw new ChannelException(r.statusCode(), r.statusCode() + " " + body.path("title").asText("") + (detail.isEmpty() ? "" : ": " + detail));
        }
        return body;
    }
}
