package io.skyhaul.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.http.JsonMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A client's side of the manager's REST API (the CLI's, a gateway's): JSON in and out, bearer
 * token, problem documents turned into one clear message.
 */
public final class ManagerClient {
    /** A refusal or failure the manager answered, or no answer at all ({@code status} 0). */
    public static final class ManagerException extends Exception {
        private final int status;

        public ManagerException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status, or 0 when the manager was not reached. */
        public int status() {
            return status;
        }

        /** Not reached, or a server-side trouble worth trying again later (5xx, 429): not a refusal of this request. */
        public boolean isTransient() {
            return status == 0 || status == 429 || status >= 500;
        }
    }

    private final String server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = JsonMapper.create();

    public ManagerClient(String server, String token) {
        this.server = server.replaceAll("/+$", "");
        this.token = token;
    }

    public String server() {
        return server;
    }

    public JsonNode get(String path) throws ManagerException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public JsonNode delete(String path) throws ManagerException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public JsonNode post(String path, Object body) throws ManagerException {
        try {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(server + "/api/v1/" + path);
    }

    private JsonNode send(HttpRequest.Builder b) throws ManagerException {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.timeout(Duration.ofSeconds(60)).header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ManagerException(0, "cannot reach the manager at " + server + " (is 'skyhaul serve' running there?)");
        } catch (IOException e) {
            throw new ManagerException(0, "no answer from the manager at " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagerException(0, "interrupted");
        }
        JsonNode body;
        try {
            body = r.body().isEmpty() ? json.nullNode() : json.readTree(r.body());
        } catch (IOException e) {
            throw new ManagerException(r.statusCode(), "the manager answered " + r.statusCode() + " with something that is not JSON");
        }
        if (r.statusCode() >= 400) {
            String detail = body.path("detail").asText(body.path("title").asText("HTTP " + r.statusCode()));
            if (body.has("incident")) {
                detail += " (incident " + body.get("incident").asText() + ")";
            }
            throw new ManagerException(r.statusCode(), detail);
        }
        return body;
    }

    public <T> T convert(JsonNode node, Class<T> type) {
        return json.convertValue(node, type);
    }
}
