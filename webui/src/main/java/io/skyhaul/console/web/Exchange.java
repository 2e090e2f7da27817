package io.skyhaul.console.web;

import io.skyhaul.auth.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.Map;

/** One request to a console page: the servlet request, the path parameters and, once signed in, who asks. */
public final class Exchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Map<String, String> pathParams;
    private final ConsoleSession session;
    private final Principal principal;

    Exchange(HttpServletRequest request, HttpServletResponse response, Map<String, String> pathParams, ConsoleSession session, Principal principal) {
        this.request = request;
        this.response = response;
        this.pathParams = pathParams;
        this.session = session;
        this.principal = principal;
    }

    public HttpServletRequest request() {
        return request;
    }

    public HttpServletResponse response() {
        return response;
    }

    public String path(String name) {
        return pathParams.get(name);
    }

    /** A query or form parameter, trimmed; null when absent or blank. */
    public String param(String name) {
        String v = request.getParameter(name);
        if (v == null) {
            return null;
        }
        v = v.strip();
        return v.isEmpty() ? null : v;
    }

    /** A form parameter as typed (passwords and secrets are not trimmed); null when absent or empty. */
    public String raw(String name) {
        String v = request.getParameter(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** A 0-based page number from {@code ?page=}; 0 when absent or not a number. */
    public int page() {
        try {
            return Math.max(0, Math.min(100_000, Integer.parseInt(param("page") == null ? "0" : param("page"))));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public ConsoleSession session() {
        return session;
    }

    public Principal principal() {
        return principal;
    }

    public boolean can(Action action) {
        return principal != null && action.allows(principal.role());
    }

    /** The address this browser reached us at (for commands shown to paste into a shell). */
    public String baseUrl() {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        String host = request.getServerName();
        host = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        boolean standard = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + host + (standard ? "" : ":" + port);
    }

    /** A fresh model map for a page. */
    public static Map<String, Object> model(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
