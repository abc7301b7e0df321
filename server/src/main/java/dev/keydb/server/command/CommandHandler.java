package dev.keydb.server.command;

/** The body of a command; errors are thrown as {@link CommandError}. */
@FunctionalInterface
public interface CommandHandler {
    void execute(CommandContext c);
}
