package io.skyhaul.http;

import io.skyhaul.db.Database;
import io.skyhaul.metrics.Metrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * What load balancers and monitoring ask, without authentication: {@code /healthz} (the process
 * answers), {@code /readyz} (the database answers and the roles are up) and {@code /metrics}
 * (Prometheus text).
 */
public final class OpsServlet extends HttpServlet {
    private final Database database;
    private final BooleanSupplier rolesReady;
    private final transient Metrics metrics;

    public OpsServlet(Database database, BooleanSupplier rolesReady, Metrics metrics) {
        this.database = database;
        this.rolesReady = rolesReady;
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        switch (req.getServletPath()) {
            case "/healthz" -> text(resp, 200, "ok\n");
            case "/readyz" -> {
                boolean db = database == null || database.isHealthy();
                boolean roles = rolesReady.getAsBoolean();
                text(resp, db && roles ? 200 : 503, (db ? "database ok" : "database not answering") + "\n" + (roles ? "roles ok" : "roles starting") + "\n");
            }
            case "/metrics" -> {
                resp.setStatus(200);
                resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
                resp.getWriter().write(metrics.scrape());
            }
            default -> text(resp, 404, "not found\n");
        }
    }

    private static void text(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().write(body);
    }
}
