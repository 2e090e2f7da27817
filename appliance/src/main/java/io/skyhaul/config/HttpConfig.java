package io.skyhaul.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The HTTP listener of the API and console.
 *
 * @param host address to bind; a non-loopback address needs TLS or {@code insecureHttp}
 * @param port TCP port, 0 for any free port
 * @param tls the certificate; null means plain HTTP
 * @param insecureHttp the operator's explicit consent to plain HTTP on a non-loopback address
 */
public record HttpConfig(@NotBlank String host, @Min(0) @Max(65535) Integer port, @Valid TlsConfig tls, Boolean insecureHttp) {
    public static final int DEFAULT_PORT = 8080;

    public HttpConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? DEFAULT_PORT : port;
        insecureHttp = insecureHttp != null && insecureHttp;
    }

    public static HttpConfig defaults() {
        return new HttpConfig(null, null, null, null);
    }

    public HttpConfig withPort(int newPort) {
        return new HttpConfig(host, newPort, tls, insecureHttp);
    }

    public HttpConfig withHost(String newHost) {
        return new HttpConfig(newHost, port, tls, insecureHttp);
    }

    public HttpConfig withInsecureHttp(boolean insecure) {
        return new HttpConfig(host, port, tls, insecure);
    }
}
