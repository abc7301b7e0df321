package dev.keydb.server.command;

/** A group of related commands (one Redis t_*.c file) that declares them in the table. */
public interface CommandFamily {
    void register(CommandTable table);
}
