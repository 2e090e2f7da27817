package io.skyhaul.console.pages;

import io.skyhaul.console.web.Action;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.FieldErrors;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.gateways.GatewayService;
import io.skyhaul.gateways.GatewayView;
import io.skyhaul.http.errors.ApiException;
import jakarta.validation.Validator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateways: the list with each one's last reported status, and the activation form (the
 * code a new gateway shows, and the name it gets), read as the API's
 * {@link GatewayMessages.Activate} and handed to the same {@link GatewayService}. A refusal is
 * shown beside the field it is about: the name when it is taken, the code otherwise.
 */
public final class GatewayPages {
    private final GatewayService gateways;
    private final Validator validator;
    private final Clock clock;

    /** How many gateways are online, of those activated (the dashboard's one line). */
    public record Summary(long online, long total) {
        static Summary of(List<GatewayView> all) {
            return new Summary(all.stream().filter(GatewayView::online).count(), all.stream().filter(GatewayView::active).count());
        }
    }

    public GatewayPages(GatewayService gateways, Validator validator, Clock clock) {
        this.gateways = gateways;
        this.validator = validator;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/gateways", Action.VIEW_GATEWAYS, true, x -> list(200, new HashMap<>(), new FieldErrors())),
                Route.of("POST", "/gateways", Action.ACTIVATE_GATEWAY, true, this::activate));
    }

    private Reply.View list(int status, Map<String, String> form, FieldErrors errors) {
        List<GatewayView> all = gateways.list();
        return new Reply.View(status, "gateways", Exchange.model("title", "Gateways", "nav", "gateways",
                "active", all.stream().filter(GatewayView::active).toList(), "deactivated", all.stream().filter(g -> !g.active()).toList(),
                "summary", Summary.of(all), "now", clock.instant(), "form", form, "errors", errors));
    }

    private Reply activate(Exchange x) {
        GatewayMessages.Activate request = new GatewayMessages.Activate(x.param("code"), x.param("name"));
        FieldErrors errors = FieldErrors.validate(validator, request);
        int status = 400;
        if (errors.isEmpty()) {
            try {
                GatewayView g = gateways.activate(x.principal(), request.code(), request.name());
                return new Reply.Redirect(path(g.name()), "Gateway '" + g.name() + "' activated. Check that its key fingerprint, "
                        + g.fingerprint() + ", is the one the gateway showed beside its code.");
            } catch (ApiException e) {
                errors = refusal(e);
                status = e.error().status();
            }
        }
        Map<String, String> form = new HashMap<>();
        form.put("code", x.param("code"));
        form.put("name", x.param("name"));
        return list(status, form, errors);
    }

    /**
     * The service's refusal under the field it is about. A malformed code comes with its field;
     * an unknown, used or expired code is about the code; a conflict is about the name only when
     * the name is already taken by an active gateway.
     */
    static FieldErrors refusal(ApiException e) {
        FieldErrors errors = new FieldErrors();
        switch (e.error()) {
            case INVALID_REQUEST -> errors.add(e);
            case NOT_FOUND, EXPIRED -> errors.add("code", e.getMessage());
            case CONFLICT -> errors.add(e.getMessage().contains("is already active") ? "name" : "code", e.getMessage());
            default -> throw e;
        }
        return errors;
    }

    /** A gateway's page (names are URL-safe by their pattern; encoded all the same). */
    static String path(String name) {
        return "/gateways/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
