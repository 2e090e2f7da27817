package io.skyhaul.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.http.resources.OpenApiResource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The hand-written OpenAPI document names exactly the operations the resources serve, with the same roles. */
class OpenApiDocumentTest {
    static final List<Class<?>> RESOURCES = List.of(io.skyhaul.http.resources.AuthResource.class, io.skyhaul.http.resources.UsersResource.class,
            io.skyhaul.http.resources.AccountsResource.class, io.skyhaul.http.resources.PartnerTokensResource.class,
            io.skyhaul.http.resources.NodesResource.class, io.skyhaul.http.resources.AuditResource.class,
            io.skyhaul.http.resources.TransfersResource.class, io.skyhaul.http.resources.ObjectsResource.class, OpenApiResource.class,
            io.skyhaul.http.resources.NodeKeysResource.class, io.skyhaul.http.resources.NodeChannelResource.class,
            io.skyhaul.http.resources.GatewaysResource.class, io.skyhaul.http.resources.GatewayChannelResource.class);

    @Test
    void documentMatchesTheResources() throws Exception {
        JsonNode doc;
        try (InputStream in = OpenApiResource.class.getResourceAsStream(OpenApiResource.RESOURCE)) {
            assertNotNull(in, "openapi.json is on the class path");
            doc = new ObjectMapper().readTree(in);
        }
        Set<String> served = new TreeSet<>();
        Set<String> servedRoles = new TreeSet<>();
        for (Class<?> c : RESOURCES) {
            String base = c.getAnnotation(Path.class).value();
            for (Method m : c.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = "/" + base + (sub == null ? "" : "/" + sub.value());
                served.add(verb + " " + path);
                servedRoles.add(verb + " " + path + " " + roles(m, c));
            }
        }
        Set<String> documented = new TreeSet<>();
        Set<String> documentedRoles = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(o -> {
            if (!o.getKey().equals("parameters")) {
                documented.add(o.getKey().toUpperCase() + " " + p.getKey());
                List<String> r = new java.util.ArrayList<>();
                o.getValue().path("x-roles").forEach(x -> r.add(x.asText()));
                documentedRoles.add(o.getKey().toUpperCase() + " " + p.getKey() + " " + new TreeSet<>(r));
            }
        }));
        assertEquals(served, documented, "paths and methods");
        assertEquals(servedRoles, documentedRoles, "roles per operation");
    }

    private static String roles(Method m, Class<?> c) {
        if (m.isAnnotationPresent(PermitAll.class)) {
            return "[anyone]";
        }
        RolesAllowed r = m.isAnnotationPresent(RolesAllowed.class) ? m.getAnnotation(RolesAllowed.class) : c.getAnnotation(RolesAllowed.class);
        return r == null ? "[none]" : new TreeSet<>(Arrays.asList(r.value())).toString();
    }

    private static String verb(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }
}
