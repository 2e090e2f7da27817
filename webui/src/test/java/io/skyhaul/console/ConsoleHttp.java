package io.skyhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser: real HTTP to the console on loopback, keeping its cookies as a
 * browser would (by name, dropped on Max-Age=0), not following redirects (so that tests see
 * them), and remembering the CSRF token of the last page it read.
 */
final class ConsoleHttp {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** One answer. */
    record Page(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).flatMap(e -> e.getValue().stream()).findFirst()
                    .orElse(null);
        }

        List<String> setCookies() {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie")).flatMap(e -> e.getValue().stream()).toList();
        }

        String location() {
            return header("location");
        }

        @Override
        public String toString() {
            return status + " " + headers + "\n" + body;
        }
    }

    private final String base;
    private final HttpClient http;
    final Map<String, String> cookies = new LinkedHashMap<>();
    String csrf;

    ConsoleHttp(String base) {
        this(base, HttpClient.newBuilder());
    }

    /** With a client of the caller's (e.g. one that trusts a test certificate). */
    ConsoleHttp(String base, HttpClient.Builder client) {
        this.base = base;
        this.http = client.followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A form POST carrying the CSRF token of the last page read. */
    Page post(String path, String... fields) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", csrf);
        for (int i = 0; i < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        return postRaw(path, form);
    }

    /** A form POST with exactly these fields (no CSRF token unless given). */
    Page postRaw(String path, Map<String, String> form) {
        String body = form.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A POST with this body exactly as given (to send what no browser would). */
    Page postBody(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Page send(HttpRequest.Builder b) {
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Page page = new Page(r.statusCode(), r.headers().map(), r.body());
            for (String c : page.setCookies()) {
                String pair = c.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                if (c.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, pair.substring(pair.indexOf('=') + 1));
                }
            }
            Matcher m = CSRF.matcher(page.body());
            if (m.find()) {
                csrf = m.group(1);
            }
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Signs in through the form; fails the test unless it worked. */
    ConsoleHttp signIn(String user, String password) {
        Page form = get("/signin");
        assertEquals(200, form.status(), form.toString());
        Page done = post("/signin", "username", user, "password", password);
        assertEquals(303, done.status(), done.toString());
        assertNotNull(cookies.get("skyhaul_session"), "a session cookie after sign-in");
        get("/");
        return this;
    }
}
