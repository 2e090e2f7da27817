package io.skyhaul.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Reads {@code skyhaul.yml} and checks it completely before start-up: unknown fields, wrong
 * types and out-of-range values stop the start with the field's path and the reason.
 */
public final class ConfigLoader {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private final Validator validator;

    public ConfigLoader() {
        this.validator = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
    }

    /** The file's configuration, or the defaults when {@code file} is null. Not yet validated. */
    public ServeConfig read(Path file) throws ConfigException {
        if (file == null) {
            return ServeConfig.defaults();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        try {
            // Blank, or nothing but comments: the defaults (readValue would fail with "no content").
            com.fasterxml.jackson.databind.JsonNode tree = yaml.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return ServeConfig.defaults();
            }
            ServeConfig config = yaml.readValue(text, ServeConfig.class);
            return config == null ? ServeConfig.defaults() : config;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": " + path(e) + ": unknown field (known: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": " + path(e) + ": " + e.getOriginalMessage().replaceAll(" at \\[Source.*", ""));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
        }
    }

    /** Checks every constraint and the rules between fields; throws with all problems, one per line. */
    public ServeConfig validate(ServeConfig config) throws ConfigException {
        Set<ConstraintViolation<ServeConfig>> violations = validator.validate(config);
        if (!violations.isEmpty()) {
            throw new ConfigException(violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> field(v.getPropertyPath().toString()) + ": " + v.getMessage())
                    .collect(Collectors.joining("\n")));
        }
        HttpConfig http = config.http();
        if (http.tls() == null && !http.insecureHttp() && !isLoopback(http.host())) {
            throw new ConfigException("http.host: " + http.host() + " is not a loopback address and no TLS certificate is configured"
                    + " (http.tls); configure one, or pass --insecure-http to accept plain HTTP on the network");
        }
        if (http.tls() != null && !Files.isReadable(http.tls().keystore())) {
            throw new ConfigException("http.tls.keystore: " + http.tls().keystore() + " does not exist or is not readable");
        }
        if (config.runs(ServeConfig.Role.NODE) && !config.runs(ServeConfig.Role.MANAGER) && config.manager().url() == null) {
            throw new ConfigException("manager.url: a node-only process needs its manager's URL");
        }
        if (config.runs(ServeConfig.Role.GATEWAY)) {
            validateGateway(config);
        }
        return config;
    }

    private static void validateGateway(ServeConfig config) throws ConfigException {
        GatewayConfig g = config.gateway();
        if (!config.runs(ServeConfig.Role.MANAGER) && config.manager().url() == null) {
            throw new ConfigException("manager.url: a gateway needs its manager's URL (https://HOST:PORT)");
        }
        if (g.tls() == null && !config.http().insecureHttp() && !isLoopback(g.host())) {
            throw new ConfigException("gateway.host: " + g.host() + " is not a loopback address and no TLS certificate is configured"
                    + " (gateway.tls); configure one, or pass --insecure-http to accept plain HTTP on the network");
        }
        if (config.runs(ServeConfig.Role.MANAGER) && g.port().equals(config.http().port()) && g.port() != 0) {
            throw new ConfigException("gateway.port: " + g.port() + " is also the manager's http.port; give the gateway's local API another port");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < g.hotFolders().size(); i++) {
            HotFolderConfig f = g.hotFolders().get(i);
            if (!names.add(f.name())) {
                throw new ConfigException("gateway.hotFolders[" + i + "].name: '" + f.name() + "' names two hot folders");
            }
            for (int j = 0; j < i; j++) {
                if (f.overlaps(g.hotFolders().get(j))) {
                    throw new ConfigException("gateway.hotFolders[" + i + "].path: " + f.path() + " overlaps hot folder '"
                            + g.hotFolders().get(j).name() + "' (" + g.hotFolders().get(j).path() + "); a file must belong to one folder");
                }
            }
        }
        for (int i = 0; i < g.sharedRoots().size(); i++) {
            if (!g.sharedRoots().get(i).isAbsolute()) {
                throw new ConfigException("gateway.sharedRoots[" + i + "]: " + g.sharedRoots().get(i) + " must be an absolute path");
            }
        }
    }

    /** True when every address {@code host} names is a loopback address (an unknown name is not). */
    public static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A rule between fields is checked by a method {@code isFieldValid()}: its message names {@code field}, as users write it. */
    private static String field(String propertyPath) {
        return propertyPath.replaceAll("([A-Za-z0-9]+)Valid$", "$1");
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return p.isEmpty() ? "(top level)" : p;
    }
}
