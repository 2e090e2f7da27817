package io.skyhaul.console.web;

import java.util.Map;

/** What a page handler answers; {@link ConsoleServlet} writes it. */
public sealed interface Reply {
    /** A whole page from template {@code template}, with the handler's part of the model. */
    record View(int status, String template, Map<String, Object> model) implements Reply {
    }

    /** One fragment of a template (for the dashboard's live refresh). */
    record Fragment(String template, String fragment, Map<String, Object> model) implements Reply {
    }

    /** POST-redirect-GET: a 303 to {@code location}, with a message for the next page. */
    record Redirect(String location, String flash) implements Reply {
    }

    /** A file to save (the CSV export). */
    record Download(String contentType, String filename, String body) implements Reply {
    }

    static View page(String template, Map<String, Object> model) {
        return new View(200, template, model);
    }
}
