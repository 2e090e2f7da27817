package io.skyhaul.console.pages;

import io.skyhaul.auth.Role;
import io.skyhaul.auth.User;
import io.skyhaul.auth.UserService;
import io.skyhaul.console.web.Action;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.FieldErrors;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.http.resources.UsersResource;
import jakarta.validation.Validator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Users (admins only, as in the API): create, change role, disable, set a password, delete;
 * their API tokens: issue (shown once) and revoke. Forms are read into the API's own request
 * records ({@link UsersResource.NewUser}, {@link UsersResource.UserChange}, {@link UsersResource.NewToken}).
 */
public final class UserPages {
    private final UserService users;
    private final Validator validator;

    public UserPages(UserService users, Validator validator) {
        this.users = users;
        this.validator = validator;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/users", Action.VIEW_USERS, true, x -> list(200, Map.of("role", "operator"), new FieldErrors())),
                Route.of("POST", "/users", Action.CREATE_USER, true, this::create),
                Route.of("GET", "/users/{id}", Action.VIEW_USERS, true, x -> detail(200, users.get(x.path("id")), new FieldErrors(), new FieldErrors())),
                Route.of("POST", "/users/{id}", Action.UPDATE_USER, true, this::update),
                Route.of("POST", "/users/{id}/delete", Action.DELETE_USER, true, this::delete),
                Route.of("POST", "/users/{id}/tokens", Action.ISSUE_API_TOKEN, true, this::issueToken),
                Route.of("POST", "/users/{id}/tokens/{tokenId}/revoke", Action.REVOKE_API_TOKEN, true, this::revokeToken));
    }

    private Reply.View list(int status, Map<String, String> form, FieldErrors errors) {
        return new Reply.View(status, "users", Exchange.model("title", "Users", "nav", "users", "users", users.list(), "form", form,
                "errors", errors, "roles", roles()));
    }

    private Reply.View detail(int status, User user, FieldErrors changeErrors, FieldErrors tokenErrors) {
        return new Reply.View(status, "user", Exchange.model("title", "User " + user.username(), "nav", "users", "user", user,
                "tokens", users.tokens(user.id()), "roles", roles(), "changeErrors", changeErrors, "tokenErrors", tokenErrors));
    }

    private static List<String> roles() {
        return java.util.Arrays.stream(Role.values()).map(Role::wireName).toList();
    }

    private static Role role(String value, String field, FieldErrors errors) {
        if (value == null) {
            return null;
        }
        try {
            return Role.parse(value);
        } catch (IllegalArgumentException e) {
            errors.add(field, "must be admin, operator or read-only");
            return null;
        }
    }

    private Reply create(Exchange x) {
        FieldErrors errors = new FieldErrors();
        UsersResource.NewUser r = new UsersResource.NewUser(x.param("username"), x.raw("password"), role(x.param("role"), "role", errors));
        errors.addAll(FieldErrors.validate(validator, r));
        if (errors.isEmpty()) {
            try {
                User u = users.create(x.principal(), r.username(), r.password(), r.role());
                return new Reply.Redirect("/users/" + u.id(), "User '" + u.username() + "' created.");
            } catch (ApiException e) {
                errors.add(e);
            }
        }
        Map<String, String> form = new HashMap<>();
        form.put("username", x.param("username") == null ? "" : x.param("username"));
        form.put("role", x.param("role") == null ? "" : x.param("role"));
        return list(400, form, errors);
    }

    private Reply update(Exchange x) {
        User user = users.get(x.path("id"));
        FieldErrors errors = new FieldErrors();
        UsersResource.UserChange r = new UsersResource.UserChange(role(x.param("role"), "role", errors), x.param("disabled") != null,
                x.raw("password"));
        errors.addAll(FieldErrors.validate(validator, r));
        if (errors.isEmpty()) {
            try {
                User u = users.update(x.principal(), user.id(), r.role(), r.disabled(), r.password());
                return new Reply.Redirect("/users/" + u.id(), "User '" + u.username() + "' saved.");
            } catch (ApiException e) {
                errors.add(e);
            }
        }
        return detail(400, user, errors, new FieldErrors());
    }

    private Reply delete(Exchange x) {
        User user = users.get(x.path("id"));
        users.delete(x.principal(), user.id());
        return new Reply.Redirect("/users", "User '" + user.username() + "' deleted.");
    }

    private Reply issueToken(Exchange x) {
        User user = users.get(x.path("id"));
        FieldErrors errors = new FieldErrors();
        Instant expires = null;
        if (x.param("expiresAt") != null) {
            try {
                expires = LocalDate.parse(x.param("expiresAt")).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                errors.add("expiresAt", "must be a date such as 2026-12-31");
            }
        }
        UsersResource.NewToken r = new UsersResource.NewToken(x.param("name"), expires);
        errors.addAll(FieldErrors.validate(validator, r));
        if (errors.isEmpty()) {
            try {
                UserService.IssuedToken t = users.issueToken(x.principal(), user.id(), r.name(), r.expiresAt());
                return Reply.page("api-token-issued", Exchange.model("title", "API token issued", "nav", "users", "user", user, "token", t.token(),
                        "secret", t.secret(), "server", x.baseUrl()));
            } catch (ApiException e) {
                errors.add(e);
            }
        }
        return detail(400, user, new FieldErrors(), errors);
    }

    private Reply revokeToken(Exchange x) {
        User user = users.get(x.path("id"));
        users.revokeToken(x.principal(), user.id(), x.path("tokenId"));
        return new Reply.Redirect("/users/" + user.id(), "API token revoked.");
    }
}
