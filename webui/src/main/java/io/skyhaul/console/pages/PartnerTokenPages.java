package io.skyhaul.console.pages;

import io.skyhaul.accounts.AccountService;
import io.skyhaul.console.web.Action;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.FieldErrors;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.partners.PartnerToken;
import io.skyhaul.partners.PartnerTokenRequest;
import io.skyhaul.partners.PartnerTokenService;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Partner tokens: the list with usage, the issue form (checked as the API's
 * {@link PartnerTokenRequest}), the one page that shows a new token (with a ready-to-paste
 * command; the token is not kept anywhere it could be shown again), and revoke.
 */
public final class PartnerTokenPages {
    static final int DEFAULT_DAYS = 7;
    static final List<String> FIELDS = List.of("name", "location", "direction", "expiresAt", "maxBytes", "maxFiles", "maxRate");

    private final PartnerTokenService partners;
    private final AccountService accounts;
    private final Validator validator;
    private final Clock clock;

    public PartnerTokenPages(PartnerTokenService partners, AccountService accounts, Validator validator, Clock clock) {
        this.partners = partners;
        this.accounts = accounts;
        this.validator = validator;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/partner-tokens", Action.VIEW_PARTNER_TOKENS, true, this::list),
                Route.of("POST", "/partner-tokens", Action.ISSUE_PARTNER_TOKEN, true, this::issue),
                Route.of("POST", "/partner-tokens/{id}/revoke", Action.REVOKE_PARTNER_TOKEN, true, this::revoke));
    }

    private Reply list(Exchange x) {
        Map<String, String> form = new HashMap<>();
        form.put("direction", "upload");
        form.put("expiresAt", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(DEFAULT_DAYS).toString());
        return view(200, form, new FieldErrors());
    }

    private Reply.View view(int status, Map<String, String> form, FieldErrors errors) {
        return new Reply.View(status, "partner-tokens", Exchange.model("title", "Partner tokens", "nav", "partner-tokens", "tokens", partners.list(),
                "accounts", accounts.list(), "now", clock.instant(), "form", form, "errors", errors));
    }

    private Reply issue(Exchange x) {
        FieldErrors errors = new FieldErrors();
        PartnerTokenRequest request = read(x, errors);
        errors.addAll(FieldErrors.validate(validator, request));
        if (errors.isEmpty()) {
            try {
                PartnerTokenService.Issued issued = partners.issue(x.principal(), request);
                return Reply.page("partner-token-issued", Exchange.model("title", "Partner token issued", "nav", "partner-tokens", "token",
                        issued.token(), "secret", issued.secret(), "command", command(x.baseUrl(), issued.token(), issued.secret())));
            } catch (ApiException e) {
                errors.add(e);
            }
        }
        Map<String, String> form = new HashMap<>();
        for (String f : FIELDS) {
            if (x.param(f) != null) {
                form.put(f, x.param(f));
            }
        }
        return view(400, form, errors);
    }

    /** What the partner pastes into a shell: the server, the direction's command, the location, the token. */
    static String command(String server, PartnerToken t, String secret) {
        String prefix = "SKYHAUL_SERVER=" + server + " bin/skyhaul ";
        return t.direction().equals("download") ? prefix + "get " + t.location() + " DIR --token " + secret
                : prefix + "send FILE " + t.location() + " --token " + secret;
    }

    private PartnerTokenRequest read(Exchange x, FieldErrors errors) {
        PartnerTokenRequest.Access access = null;
        String direction = x.param("direction");
        if (direction != null) {
            for (PartnerTokenRequest.Access a : PartnerTokenRequest.Access.values()) {
                if (a.wireName().equals(direction.toLowerCase(Locale.ROOT))) {
                    access = a;
                }
            }
            if (access == null) {
                errors.add("direction", "must be upload, download or both");
            }
        }
        return new PartnerTokenRequest(x.param("name"), x.param("location"), access, expiry(x.param("expiresAt"), errors),
                Quantities.parse(x.param("maxBytes"), "maxBytes", errors), Quantities.parse(x.param("maxFiles"), "maxFiles", errors),
                Quantities.parse(x.param("maxRate"), "maxRate", errors));
    }

    /** A date means: valid through that whole day (UTC). */
    private static Instant expiry(String date, FieldErrors errors) {
        if (date == null) {
            return null;
        }
        try {
            return LocalDate.parse(date).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            errors.add("expiresAt", "must be a date such as 2026-12-31");
            return null;
        }
    }

    private Reply revoke(Exchange x) {
        PartnerToken t = partners.revoke(x.principal(), x.path("id"));
        return new Reply.Redirect("/partner-tokens", "Partner token '" + t.name() + "' revoked: it is refused from now on.");
    }
}
