package io.skyhaul.console.pages;

import io.skyhaul.auth.User;
import io.skyhaul.auth.UserService;
import io.skyhaul.console.web.ConsoleSession;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.FieldErrors;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import io.skyhaul.console.web.SessionCookie;
import io.skyhaul.console.web.Sessions;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.http.resources.AuthResource;
import jakarta.validation.Validator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and out. The password check and its slow-down are the API's
 * ({@link UserService#signIn}); the form is validated as the API's {@link AuthResource.LoginRequest}.
 * A successful sign-in always gets a new session id. The sign-in form itself carries a CSRF
 * token too (matched against a cookie), so another site cannot sign a browser in as someone else.
 */
public final class SignInPages {
    private static final Logger LOG = LoggerFactory.getLogger(SignInPages.class);

    private final UserService users;
    private final Sessions sessions;
    private final SessionCookie cookies;
    private final Validator validator;

    public SignInPages(UserService users, Sessions sessions, SessionCookie cookies, Validator validator) {
        this.users = users;
        this.sessions = sessions;
        this.cookies = cookies;
        this.validator = validator;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/signin", null, false, this::form), Route.of("POST", "/signin", null, false, this::signIn),
                Route.of("POST", "/signout", null, true, this::signOut));
    }

    private Reply form(Exchange x) {
        if (x.principal() != null) {
            return new Reply.Redirect("/", null);
        }
        return view(x, 200, null, new FieldErrors());
    }

    private Reply view(Exchange x, int status, String username, FieldErrors errors) {
        String token = sessions.newSecret();
        cookies.set(x.response(), SessionCookie.SIGN_IN, token);
        return new Reply.View(status, "signin", Exchange.model("csrf", token, "username", username, "next", safeNext(x.param("next")),
                "errors", errors, "title", "Sign in"));
    }

    private Reply signIn(Exchange x) {
        String username = x.param("username");
        String password = x.raw("password");
        FieldErrors errors = FieldErrors.validate(validator, new AuthResource.LoginRequest(username, password, null, null));
        if (!errors.isEmpty()) {
            return view(x, 400, username, errors);
        }
        User user;
        try {
            user = users.signIn(username, password);
        } catch (ApiException e) {
            if (e.error() != ApiError.UNAUTHENTICATED && e.error() != ApiError.TOO_MANY_ATTEMPTS) {
                throw e;
            }
            LOG.info("console sign-in refused for '{}' from {}: {}", username, x.request().getRemoteAddr(), e.getMessage());
            return view(x, e.error().status(), username, FieldErrors.of(e));
        }
        if (x.session() != null) {
            sessions.close(x.session());
        }
        ConsoleSession session = sessions.open(user.id());
        cookies.set(x.response(), SessionCookie.SESSION, session.id());
        cookies.clear(x.response(), SessionCookie.SIGN_IN);
        LOG.info("console sign-in: user {} ({}) from {}", user.username(), user.role().wireName(), x.request().getRemoteAddr());
        return new Reply.Redirect(safeNext(x.param("next")), null);
    }

    private Reply signOut(Exchange x) {
        sessions.close(x.session());
        cookies.clear(x.response(), SessionCookie.SESSION);
        LOG.info("console sign-out: user {}", x.principal().name());
        return new Reply.Redirect("/signin", null);
    }

    /** Only a path on this console: never another site ("//host", "https://..."). */
    static String safeNext(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") && next.length() < 500 ? next : "/";
    }
}
