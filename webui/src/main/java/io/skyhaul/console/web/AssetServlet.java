package io.skyhaul.console.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The console's own stylesheet, script and icon, served from the jar (the appliance may have no
 * internet: no CDN). Only the files listed here exist; they are read once at start.
 */
public final class AssetServlet extends HttpServlet {
    static final String DIR = "/io/skyhaul/console/static/";
    private static final Map<String, String> TYPES = Map.of("console.css", "text/css; charset=utf-8", "console.js",
            "text/javascript; charset=utf-8", "favicon.svg", "image/svg+xml");

    private final transient Map<String, byte[]> files = new HashMap<>();

    public AssetServlet() {
        for (String name : TYPES.keySet()) {
            try (InputStream in = AssetServlet.class.getResourceAsStream(DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("console asset " + DIR + name + " is missing from the jar");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        byte[] body = files.get(name);
        if (body == null) {
            resp.sendError(404);
            return;
        }
        resp.setContentType(TYPES.get(name));
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "public, max-age=3600");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
