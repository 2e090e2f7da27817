package io.skyhaul.console.pages;

import io.skyhaul.accounts.AccountRequest;
import io.skyhaul.accounts.AccountRequest.AccountKind;
import io.skyhaul.accounts.AccountService;
import io.skyhaul.accounts.StoredAccount;
import io.skyhaul.console.web.Action;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.FieldErrors;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.http.resources.AccountsResource;
import jakarta.validation.Validator;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Storage accounts: list, create and edit (S3, Azure, local), test the connection, delete. The
 * form is read into the API's {@link AccountRequest} and checked with its constraints, then
 * handed to the same {@link AccountService}. Secrets are write-only: the form has empty secret
 * fields (left empty, a stored secret is kept) and never renders a secret back, not even one
 * just typed into a form that failed validation.
 */
public final class AccountPages {
    /** The non-secret fields of the form, by kind, named as the API's JSON names them. */
    static final List<String> PLAIN_FIELDS = List.of("name", "s3.accessKeyId", "s3.region", "s3.endpoint", "azure.accountName", "azure.endpoint",
            "local.path");

    private final AccountService accounts;
    private final Validator validator;

    public AccountPages(AccountService accounts, Validator validator) {
        this.accounts = accounts;
        this.validator = validator;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/accounts", Action.VIEW_ACCOUNTS, true, this::list),
                Route.of("GET", "/accounts/new", Action.CREATE_ACCOUNT, true, this::newForm),
                Route.of("POST", "/accounts", Action.CREATE_ACCOUNT, true, this::create),
                Route.of("GET", "/accounts/{id}", Action.VIEW_ACCOUNTS, true, this::show),
                Route.of("POST", "/accounts/{id}", Action.UPDATE_ACCOUNT, true, this::update),
                Route.of("POST", "/accounts/{id}/test", Action.TEST_ACCOUNT, true, this::test),
                Route.of("POST", "/accounts/{id}/delete", Action.DELETE_ACCOUNT, true, this::delete));
    }

    private Reply list(Exchange x) {
        return Reply.page("accounts", Exchange.model("title", "Storage accounts", "nav", "accounts", "accounts", accounts.list()));
    }

    private Reply newForm(Exchange x) {
        AccountKind kind = kind(x.param("kind"));
        Map<String, String> form = new HashMap<>();
        if (kind == AccountKind.S3) {
            form.put("s3.region", "us-east-1");
        }
        return form(200, null, kind, form, new FieldErrors(), null);
    }

    private Reply create(Exchange x) {
        AccountKind kind = kind(x.param("kind"));
        FieldErrors errors = new FieldErrors();
        AccountRequest request = read(x, kind, errors);
        errors.addAll(FieldErrors.validate(validator, request));
        if (errors.isEmpty()) {
            try {
                StoredAccount created = accounts.create(x.principal(), request);
                return new Reply.Redirect("/accounts/" + created.id(), "Storage account '" + created.name() + "' created.");
            } catch (ApiException e) {
                errors = refusal(e);
            }
        }
        return form(400, null, kind, plainValues(x), errors, null);
    }

    private Reply show(Exchange x) {
        StoredAccount account = accounts.get(x.path("id"));
        return form(200, account, kind(account.kind()), storedValues(account), new FieldErrors(), null);
    }

    private Reply update(Exchange x) {
        StoredAccount account = accounts.get(x.path("id"));
        AccountKind kind = kind(account.kind());
        FieldErrors errors = new FieldErrors();
        AccountRequest request = read(x, kind, errors);
        errors.addAll(FieldErrors.validate(validator, request));
        if (errors.isEmpty()) {
            try {
                StoredAccount updated = accounts.update(x.principal(), account.id(), request);
                return new Reply.Redirect("/accounts/" + updated.id(), "Storage account '" + updated.name() + "' saved.");
            } catch (ApiException e) {
                errors = refusal(e);
            }
        }
        return form(400, account, kind, plainValues(x), errors, null);
    }

    /** The outcome of a connection test, shown on the account's page. */
    public record TestOutcome(String bucket, boolean ok, String message) {
    }

    private Reply test(Exchange x) {
        StoredAccount account = accounts.get(x.path("id"));
        String bucket = x.param("bucket");
        FieldErrors errors = FieldErrors.validate(validator, new AccountsResource.TestRequest(bucket));
        TestOutcome outcome = null;
        int status = 200;
        if (errors.isEmpty()) {
            try {
                accounts.testConnection(x.principal(), account.id(), bucket);
                outcome = new TestOutcome(bucket, true, "Connected: bucket '" + bucket + "' answers with these credentials.");
            } catch (ApiException e) {
                if (e.error() != ApiError.STORAGE_FAILED) {
                    throw e;
                }
                status = e.error().status();
                outcome = new TestOutcome(bucket, false, e.getMessage());
            }
        } else {
            status = 400;
        }
        Map<String, String> testForm = Map.of("bucket", bucket == null ? "" : bucket);
        Reply.View v = form(status, account, kind(account.kind()), storedValues(account), new FieldErrors(), outcome);
        v.model().put("testForm", testForm);
        v.model().put("testErrors", errors);
        return v;
    }

    private Reply delete(Exchange x) {
        StoredAccount account = accounts.get(x.path("id"));
        accounts.delete(x.principal(), account.id());
        return new Reply.Redirect("/accounts", "Storage account '" + account.name() + "' deleted.");
    }

    private Reply.View form(int status, StoredAccount account, AccountKind kind, Map<String, String> values, FieldErrors errors, TestOutcome test) {
        String title = account == null ? "New " + label(kind) + " account" : "Storage account " + account.name();
        Map<String, Object> m = Exchange.model("title", title, "nav", "accounts", "account", account, "kind", kind.wireName(), "kindLabel", label(kind),
                "form", values, "errors", errors, "test", test, "testForm", Map.of("bucket", ""), "testErrors", new FieldErrors());
        return new Reply.View(status, "account", m);
    }

    static String label(AccountKind kind) {
        return switch (kind) {
            case S3 -> "S3";
            case AZURE -> "Azure Blob";
            case LOCAL -> "local directory";
        };
    }

    private static AccountKind kind(String value) {
        if (value != null) {
            for (AccountKind k : AccountKind.values()) {
                if (k.wireName().equals(value.toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
        }
        throw ApiException.invalid("kind", "must be s3, azure or local");
    }

    /** The form as the API's request record; a value that cannot even be parsed is reported in {@code errors}. */
    static AccountRequest read(Exchange x, AccountKind kind, FieldErrors errors) {
        return switch (kind) {
            case S3 -> new AccountRequest(x.param("name"), kind, new AccountRequest.S3Fields(x.param("s3.accessKeyId"), x.raw("s3.secretAccessKey"),
                    x.param("s3.region"), uri(x.param("s3.endpoint"), "s3.endpoint", errors), x.param("s3.pathStyle") != null), null, null);
            case AZURE -> new AccountRequest(x.param("name"), kind, null, new AccountRequest.AzureFields(x.param("azure.accountName"),
                    x.raw("azure.accountKey"), x.raw("azure.connectionString"), x.raw("azure.sasToken"),
                    uri(x.param("azure.endpoint"), "azure.endpoint", errors)), null);
            case LOCAL -> new AccountRequest(x.param("name"), kind, null, null, new AccountRequest.LocalFields(x.param("local.path")));
        };
    }

    private static URI uri(String value, String field, FieldErrors errors) {
        if (value == null) {
            return null;
        }
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            errors.add(field, "must be an http or https URL");
            return null;
        }
    }

    private static FieldErrors refusal(ApiException e) {
        if (e.error() == ApiError.CONFLICT && e.getMessage().contains("already exists")) {
            FieldErrors errors = new FieldErrors();
            errors.add("name", e.getMessage());
            return errors;
        }
        return FieldErrors.of(e);
    }

    private static Map<String, String> plainValues(Exchange x) {
        Map<String, String> m = new HashMap<>();
        for (String f : PLAIN_FIELDS) {
            String v = x.param(f);
            if (v != null) {
                m.put(f, v);
            }
        }
        if (x.param("s3.pathStyle") != null) {
            m.put("s3.pathStyle", "on");
        }
        return m;
    }

    private static Map<String, String> storedValues(StoredAccount a) {
        Map<String, String> m = new HashMap<>();
        m.put("name", a.name());
        a.settings().forEach((k, v) -> {
            if (v != null && !(v instanceof Boolean)) {
                m.put(a.kind() + "." + k, v.toString());
            }
        });
        if (Boolean.TRUE.equals(a.settings().get("pathStyle"))) {
            m.put("s3.pathStyle", "on");
        }
        return m;
    }
}
