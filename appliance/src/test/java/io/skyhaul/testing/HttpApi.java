package io.skyhaul.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON calls to a Skyhaul API at a base URL (a manager or a gateway in another process), answered as {@link RunningAppliance.Reply}. */
public final class HttpApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;

    public HttpApi(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** {@code method /api/v1/path} with a JSON body (or none) and a bearer token (or none). */
    public RunningAppliance.Reply call(String method, String path, Object body, String token) {
        return send(method, path, body == null ? HttpRequest.BodyPublishers.noBody() : json(body), body == null ? null : "application/json", token);
    }

    /** A request with a raw body and its content type to {@code /api/v1/path}. */
    public RunningAppliance.Reply send(String method, String path, HttpRequest.BodyPublisher body, String contentType, String token) {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return exchange(method, "/api/v1/" + path, body, headers);
    }

    /** Any request: {@code absolutePath} below the base URL ("/api/v1/...", "/metrics"), any headers. */
    public RunningAppliance.Reply exchange(String method, String absolutePath, HttpRequest.BodyPublisher body, java.util.Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + absolutePath)).timeout(Duration.ofSeconds(60)).method(method, body);
            headers.forEach(b::header);
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new RunningAppliance.Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + absolutePath, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public JsonNode expect(int status, RunningAppliance.Reply r) {
        if (r.status() != status) {
            throw new AssertionError("expected " + status + ", got " + r);
        }
        return r.body().isEmpty() ? JSON.nullNode() : r.json();
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
