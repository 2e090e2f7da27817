package io.skyhaul.http;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every JAX-RS resource method of {@code io.skyhaul.http.resources}, found by reading the
 * package's class files (no list to keep up to date): its HTTP method, its path under
 * {@code /api/v1}, and who may call it.
 */
record ResourceMethods(Class<?> resource, Method method, String httpMethod, String path) {
    static final String PACKAGE = "io.skyhaul.http.resources";

    boolean permitAll() {
        return method.isAnnotationPresent(PermitAll.class);
    }

    /** The roles allowed, from the method or else its class; empty when neither says. */
    Set<String> roles() {
        RolesAllowed r = method.isAnnotationPresent(RolesAllowed.class) ? method.getAnnotation(RolesAllowed.class)
                : resource.getAnnotation(RolesAllowed.class);
        return r == null ? Set.of() : Set.of(r.value());
    }

    /** The path with every {parameter} replaced by {@code value}. */
    String concretePath(String value) {
        return path.replaceAll("\\{[^}]+}", value);
    }

    boolean changesSomething() {
        return !httpMethod.equals("GET") && !httpMethod.equals("HEAD") && !httpMethod.equals("OPTIONS");
    }

    @Override
    public String toString() {
        return httpMethod + " " + path + " (" + resource.getSimpleName() + "." + method.getName() + ")";
    }

    static List<ResourceMethods> all() {
        List<ResourceMethods> out = new ArrayList<>();
        for (Class<?> c : classes()) {
            Path classPath = c.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                String verb = httpMethod(m);
                if (verb == null || !Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                Path p = m.getAnnotation(Path.class);
                String path = "/api/v1/" + trim(classPath.value()) + (p == null ? "" : "/" + trim(p.value()));
                out.add(new ResourceMethods(c, m, verb, path));
            }
        }
        out.sort(Comparator.comparing(ResourceMethods::path).thenComparing(ResourceMethods::httpMethod));
        return out;
    }

    private static String trim(String s) {
        return s.replaceAll("^/+|/+$", "");
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    private static List<Class<?>> classes() {
        URL dir = ResourceMethods.class.getClassLoader().getResource(PACKAGE.replace('.', '/'));
        if (dir == null || !dir.getProtocol().equals("file")) {
            throw new AssertionError("cannot list the classes of " + PACKAGE + " (" + dir + ")");
        }
        try (Stream<java.nio.file.Path> files = Files.list(java.nio.file.Path.of(dir.toURI()))) {
            List<Class<?>> out = new ArrayList<>();
            for (java.nio.file.Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    out.add(Class.forName(PACKAGE + "." + name.substring(0, name.length() - ".class".length())));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
