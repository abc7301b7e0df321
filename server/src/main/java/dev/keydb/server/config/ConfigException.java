package dev.keydb.server.config;

/** A directive value that cannot be applied; the message is Redis's reason text. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
