package dev.keydb.server.commands;

import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;

/** CLIENT and its subcommands. */
public final class ClientCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
    }

    /** Redis refuses client names with spaces, newlines or characters outside '!'..'~'. */
    public static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }
}
