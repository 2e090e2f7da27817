package io.skyhaul.console.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The console's cookies, written by hand so that every attribute is explicit: HttpOnly (no
 * script reads them), SameSite=Lax (no cross-site POST carries them), Path=/ and, on TLS,
 * Secure. The session cookie has no Max-Age: it ends with the browser, or earlier on the server.
 */
public final class SessionCookie {
    public static final String SESSION = "skyhaul_session";
    /** The sign-in form's CSRF token (double submit: this cookie and the form field must match). */
    public static final String SIGN_IN = "skyhaul_signin";

    private final boolean secure;

    public SessionCookie(boolean secure) {
        this.secure = secure;
    }

    public static String read(HttpServletRequest req, String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    public void set(HttpServletResponse resp, String name, String value) {
        resp.addHeader("Set-Cookie", name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }

    public void clear(HttpServletResponse resp, String name) {
        resp.addHeader("Set-Cookie", name + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }
}
