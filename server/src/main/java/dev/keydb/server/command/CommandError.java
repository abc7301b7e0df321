package dev.keydb.server.command;

/**
 * Thrown by a command to answer an error reply; the message is the full reply text starting
 * with its code ("ERR ...", "WRONGTYPE ..."). Carries no stack trace: it is control flow.
 */
public final class CommandError extends RuntimeException {
    public static final CommandError SYNTAX = new CommandError("ERR syntax error");
    public static final CommandError NOT_INTEGER = new CommandError("ERR value is not an integer or out of range");
    public static final CommandError NOT_FLOAT = new CommandError("ERR value is not a valid float");
    public static final CommandError WRONGTYPE =
            new CommandError("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final CommandError NO_SUCH_KEY = new CommandError("ERR no such key");
    public static final CommandError DB_INDEX = new CommandError("ERR DB index is out of range");

    public CommandError(String message) {
        super(message, null, false, false);
    }
}
