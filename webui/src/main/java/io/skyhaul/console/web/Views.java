package io.skyhaul.console.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

/**
 * Thymeleaf over the templates in the jar ({@code io/skyhaul/console/templates/*.html}),
 * cached once parsed. Output is escaped by default ({@code th:text}); no template uses
 * {@code th:utext}.
 */
public final class Views {
    static final String PREFIX = "/io/skyhaul/console/templates/";

    private final TemplateEngine engine = new TemplateEngine();
    private final JakartaServletWebApplication application;

    public Views(ServletContext servletContext) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Views.class.getClassLoader());
        resolver.setPrefix(PREFIX.substring(1));
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
        application = JakartaServletWebApplication.buildApplication(servletContext);
    }

    public void render(HttpServletRequest req, HttpServletResponse resp, String template, Set<String> fragments, Map<String, Object> model)
            throws IOException {
        WebContext context = new WebContext(application.buildExchange(req, resp), Locale.ENGLISH, model);
        resp.setContentType("text/html; charset=utf-8");
        if (fragments == null) {
            engine.process(template, context, resp.getWriter());
        } else {
            engine.process(template, fragments, context, resp.getWriter());
        }
    }
}
