package io.skyhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.console.web.ConsoleServlet;
import io.skyhaul.console.web.Route;
import io.skyhaul.console.web.SessionCookie;
import io.skyhaul.console.web.Sessions;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.testing.LogCapture;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a failure looks like to the browser: a friendly page with an incident id that is also
 * in the log (with the stack trace), never the exception or a stack trace on the page. Pages
 * that fail on purpose are mounted in the real front servlet on a loopback Jetty.
 */
@Timeout(60)
class ErrorPagesTest {
    static Server server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        List<Route> routes = List.of(Route.of("GET", "/boom", null, false, x -> {
            throw new IllegalStateException("boom: secret internals at /var/lib/skyhaul");
        }), Route.of("GET", "/internal", null, false, x -> {
            throw new ApiException(ApiError.INTERNAL, "database is locked");
        }), Route.of("GET", "/storage", null, false, x -> {
            throw new ApiException(ApiError.STORAGE_FAILED, "the bucket 'media' does not exist");
        }));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ConsoleServlet(routes, new Sessions(new SecureRandom(), Clock.systemUTC()), new SessionCookie(false),
                null)), "/");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void anUnexpectedFailureShowsAnIncidentIdThatIsInTheLog() {
        try (LogCapture log = new LogCapture()) {
            ConsoleHttp.Page p = new ConsoleHttp(base).get("/boom");
            assertEquals(500, p.status());
            assertTrue(p.body().contains("<h1>Something went wrong</h1>"), p.body());
            Matcher m = Pattern.compile("<code id=\"incident\">(console-[0-9a-f]{12})</code>").matcher(p.body());
            assertTrue(m.find(), p.body());
            assertFalse(p.body().contains("boom"), "the exception's message stays in the log");
            assertFalse(p.body().contains("IllegalStateException"));
            assertFalse(p.body().contains("at io.skyhaul"), "no stack trace");
            List<String> errors = log.lines(e -> e.getFormattedMessage().contains(m.group(1)));
            assertEquals(1, errors.size(), "the incident id is in the log: " + errors);
            assertTrue(errors.get(0).contains("IllegalStateException: boom"), errors.get(0));
        }
    }

    @Test
    void anInternalApiErrorIsAnIncidentToo() {
        try (LogCapture log = new LogCapture()) {
            ConsoleHttp.Page p = new ConsoleHttp(base).get("/internal");
            assertEquals(500, p.status());
            assertFalse(p.body().contains("database is locked"));
            assertTrue(p.body().contains("Incident id"));
            assertEquals(1, log.lines(e -> e.getFormattedMessage().contains("console incident")).size());
        }
    }

    @Test
    void aKnownRefusalKeepsItsStatusAndMessage() {
        ConsoleHttp.Page p = new ConsoleHttp(base).get("/storage");
        assertEquals(502, p.status());
        assertTrue(p.body().contains("the bucket &#39;media&#39; does not exist"), p.body());
        assertFalse(p.body().contains("Incident id"));
    }
}
