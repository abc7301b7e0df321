package dev.keydb.server.resp;

/** Malformed client input; the message is Redis's text after "Protocol error: ". */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
