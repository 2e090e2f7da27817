package io.skyhaul.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * The API's certificate: a PKCS#12 key store holding the private key and its chain.
 *
 * @param keystore the .p12 file
 * @param keystorePassword its password (or set SKYHAUL_TLS_PASSWORD and leave this out)
 */
public record TlsConfig(@NotNull Path keystore, @NotBlank String keystorePassword) {
    public TlsConfig {
        if (keystorePassword == null) {
            keystorePassword = System.getenv("SKYHAUL_TLS_PASSWORD");
        }
    }

    @Override
    public String toString() {
        return "TlsConfig[keystore=" + keystore + ", keystorePassword=(hidden)]";
    }
}
