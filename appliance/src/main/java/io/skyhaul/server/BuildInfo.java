package io.skyhaul.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What the build wrote into {@code io/skyhaul/version.properties}: the version the CLI prints and a gateway reports. */
public final class BuildInfo {
    private BuildInfo() {
    }

    public static String version() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/skyhaul/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read io/skyhaul/version.properties", e);
        }
        return p.getProperty("version", "unknown");
    }
}
