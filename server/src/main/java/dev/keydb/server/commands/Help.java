package dev.keydb.server.commands;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Redis's HELP replies (addReplyHelp) and its subcommand syntax error (addReplySubcommandSyntaxError). */
final class Help {
    private Help() {}

    /** The array of status lines Redis sends for "X HELP": header, the lines, then HELP itself. */
    static void reply(CommandContext c, String command, String... lines) {
        Reply r = c.reply();
        r.array(lines.length + 3);
        r.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            r.simple(line);
        }
        r.simple("HELP");
        r.simple("    Prints this help.");
    }

    /** "ERR unknown subcommand or wrong number of arguments for 'sub'. Try CMD HELP." */
    static CommandError subcommandSyntax(CommandContext c) {
        String sub = new String(c.arg(1), 0, Math.min(c.arg(1).length, 128), StandardCharsets.UTF_8);
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try "
                + c.argString(0).toUpperCase(Locale.ROOT) + " HELP.");
    }
}
