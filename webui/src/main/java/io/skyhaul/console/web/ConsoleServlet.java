package io.skyhaul.console.web;

import io.skyhaul.auth.Principal;
import io.skyhaul.auth.User;
import io.skyhaul.auth.UserService;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's front door, in the order every request goes through it: security headers,
 * route, session (else to the sign-in page), the user as the user store has them now, the CSRF
 * token on every POST, the role the matching REST method requires, then the page. Known
 * refusals become a page with the reason; anything else a page with an incident id, the stack
 * trace only in the log.
 */
public final class ConsoleServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);
    public static final String CSRF_FIELD = "_csrf";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final List<Route> routes;
    private final Sessions sessions;
    private final SessionCookie cookies;
    private final UserService users;
    private transient Views views;

    public ConsoleServlet(List<Route> routes, Sessions sessions, SessionCookie cookies, UserService users) {
        this.routes = List.copyOf(routes);
        this.sessions = sessions;
        this.cookies = cookies;
        this.users = users;
    }

    @Override
    public void init() {
        views = new Views(getServletContext());
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Cache-Control", "no-store");
        String path = req.getRequestURI();
        ConsoleSession session = sessions.find(SessionCookie.read(req, SessionCookie.SESSION)).orElse(null);
        Principal principal = null;
        try {
            Optional<Map.Entry<Route, Map<String, String>>> found = route(req.getMethod(), path);
            if (found.isEmpty()) {
                boolean otherMethod = routes.stream().anyMatch(r -> r.match(path).isPresent());
                throw new ApiException(otherMethod ? ApiError.INVALID_REQUEST : ApiError.NOT_FOUND,
                        otherMethod ? req.getMethod() + " is not supported here" : "There is no page at " + path);
            }
            Route route = found.get().getKey();
            if (session != null) {
                principal = currentUser(session);
                if (principal == null) {
                    session = null;
                }
            }
            if (route.signedIn() && principal == null) {
                if (req.getMethod().equals("GET")) {
                    resp.sendRedirect("/signin" + (path.equals("/") ? "" : "?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8)));
                    return;
                }
                throw new ApiException(ApiError.FORBIDDEN, "You are not signed in (or your session ended). Sign in and try again.");
            }
            if (req.getMethod().equals("POST")) {
                checkCsrf(req, route.signedIn() ? session.csrfToken() : SessionCookie.read(req, SessionCookie.SIGN_IN));
            }
            if (route.action() != null && !route.action().allows(principal.role())) {
                throw new ApiException(ApiError.FORBIDDEN, "Your role (" + principal.role().wireName() + ") does not allow this.");
            }
            Reply reply = route.handler().handle(new Exchange(req, resp, found.get().getValue(), session, principal));
            write(req, resp, reply, session, principal);
        } catch (ApiException e) {
            if (e.error().status() >= 500 && e.error() != ApiError.STORAGE_FAILED && e.error() != ApiError.NO_NODE_AVAILABLE) {
                unexpected(req, resp, e, session, principal);
                return;
            }
            LOG.debug("console {} {}: {} {}", req.getMethod(), path, e.error(), e.getMessage());
            error(req, resp, e.error().status(), e.error().title(), e.getMessage(), null, session, principal);
        } catch (RuntimeException e) {
            if (!(e instanceof org.eclipse.jetty.http.HttpException h) || h.getCode() >= 500) {
                unexpected(req, resp, e, session, principal);
                return;
            }
            // Malformed input (bad percent-encoding, a form too large): the client's mistake, not an incident.
            LOG.debug("console {} {}: {}", req.getMethod(), path, e.getMessage());
            error(req, resp, h.getCode(), "Bad request", "The request could not be read (" + h.getReason() + ").", null, session, principal);
        } catch (Exception | Error e) {
            unexpected(req, resp, e, session, principal);
        }
    }

    private Optional<Map.Entry<Route, Map<String, String>>> route(String method, String path) {
        String m = method.equals("HEAD") ? "GET" : method;
        for (Route r : routes) {
            if (r.method().equals(m)) {
                Optional<Map<String, String>> params = r.match(path);
                if (params.isPresent()) {
                    return Optional.of(Map.entry(r, params.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** The session's user as stored now: null (and the session ended) when deleted or disabled. */
    private Principal currentUser(ConsoleSession session) {
        try {
            User u = users.get(session.userId());
            if (!u.disabled()) {
                return Principal.user(u.id(), u.username(), u.role());
            }
        } catch (ApiException e) {
            if (e.error() != ApiError.NOT_FOUND) {
                throw e;
            }
        }
        sessions.close(session);
        return null;
    }

    private static void checkCsrf(HttpServletRequest req, String expected) {
        String given = req.getParameter(CSRF_FIELD);
        if (expected == null || given == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("console: refused {} {} from {}: {} CSRF token", req.getMethod(), req.getRequestURI(), req.getRemoteAddr(),
                    given == null ? "missing" : "wrong");
            throw new ApiException(ApiError.FORBIDDEN, "This form did not come from this console page, or it is stale (CSRF check failed)."
                    + " Reload the page and try again.");
        }
    }

    private void write(HttpServletRequest req, HttpServletResponse resp, Reply reply, ConsoleSession session, Principal principal) throws IOException {
        if (reply instanceof Reply.View v) {
            resp.setStatus(v.status());
            views.render(req, resp, v.template(), null, pageModel(v.model(), session, principal));
        } else if (reply instanceof Reply.Fragment f) {
            views.render(req, resp, f.template(), Set.of(f.fragment()), pageModel(f.model(), session, principal));
        } else if (reply instanceof Reply.Redirect r) {
            if (r.flash() != null && session != null) {
                session.flash(r.flash());
            }
            resp.setStatus(303);
            resp.setHeader("Location", r.location());
        } else if (reply instanceof Reply.Download d) {
            resp.setContentType(d.contentType());
            resp.setHeader("Content-Disposition", "attachment; filename=\"" + d.filename() + "\"");
            resp.getWriter().write(d.body());
        }
    }

    /** What every page's layout needs besides the handler's own model. */
    private Map<String, Object> pageModel(Map<String, Object> own, ConsoleSession session, Principal principal) {
        Map<String, Object> m = new HashMap<>(own);
        m.put("fmt", new Format());
        m.put("me", principal);
        if (session != null) {
            m.putIfAbsent("csrf", session.csrfToken());
        }
        Map<String, Boolean> can = new HashMap<>();
        for (Action a : Action.values()) {
            can.put(a.name(), principal != null && a.allows(principal.role()));
        }
        m.put("can", can);
        if (session != null && !m.containsKey("flash")) {
            m.put("flash", session.takeFlash());
        }
        return m;
    }

    private void unexpected(HttpServletRequest req, HttpServletResponse resp, Throwable e, ConsoleSession session, Principal principal)
            throws IOException {
        String incident = Incident.newId();
        LOG.error("console incident {}: {} {} failed", incident, req.getMethod(), req.getRequestURI(), e);
        error(req, resp, 500, "Something went wrong", "The console could not complete this request. The incident is logged.", incident,
                session, principal);
    }

    private void error(HttpServletRequest req, HttpServletResponse resp, int status, String title, String detail, String incident,
            ConsoleSession session, Principal principal) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        resp.setStatus(status);
        try {
            views.render(req, resp, "error", null, pageModel(Exchange.model("status", status, "title", title, "detail", detail,
                    "incident", incident), session, principal));
        } catch (RuntimeException | IOException e) {
            LOG.error("console: the error page itself failed (status {}, incident {})", status, incident, e);
            resp.setContentType("text/plain; charset=utf-8");
            resp.getWriter().write(status + " " + title + (incident == null ? "" : " (incident " + incident + ")"));
        }
    }
}
