package io.skyhaul.config;

/** A configuration that cannot start: the message names the field and the reason. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
