package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.Log;
import dev.keydb.server.Server;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.config.ConfigException;
import dev.keydb.server.config.ConfigRewriter;
import dev.keydb.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CONFIG GET, SET, RESETSTAT, REWRITE and HELP (Redis's config.c commands). */
public final class ConfigCommands implements CommandFamily {
    private static final String[] HELP = {
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
    };

    @Override
    public void register(CommandTable t) {
        String g = "server";
        t.add(command("config", -2).group(g)
                .doc("2.0.0", "Depends on subcommand.", "A container for server configuration commands")
                .sub(command("get", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("2.0.0", "O(N) when N is the number of configuration parameters provided",
                                "Get the values of configuration parameters").run(this::get))
                .sub(command("set", -4).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("2.0.0", "O(N) when N is the number of configuration parameters provided",
                                "Set configuration parameters to the given values").run(this::set))
                .sub(command("resetstat", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("2.0.0", "O(1)", "Reset the stats returned by INFO").run(this::resetstat))
                .sub(command("rewrite", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("2.8.0", "O(1)", "Rewrite the configuration file with the in memory configuration").run(this::rewrite))
                .sub(command("help", 2).flags(LOADING, STALE)
                        .doc("5.0.0", "O(1)", "Show helpful text about the different subcommands").run(this::help)));
    }

    private void get(CommandContext c) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            patterns.add(c.argString(i));
        }
        Map<String, String> found = c.server().config().registry().get(patterns);
        c.reply().map(found.size());
        for (Map.Entry<String, String> e : found.entrySet()) {
            c.reply().bulk(e.getKey());
            c.reply().bulk(e.getValue());
        }
    }

    private void set(CommandContext c) {
        if ((c.argc() & 1) != 0) {
            throw CommandError.SYNTAX;
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc(); i += 2) {
            pairs.add(new String[] {c.argString(i), c.argString(i + 1)});
        }
        ServerConfig config = c.server().config();
        try {
            config.registry().setAll(pairs, config.protectedConfigsAllowed(c.client().isLocal()));
        } catch (ConfigException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.reply().ok();
    }

    /** Redis's resetServerStats + resetCommandTableStats + resetErrorTableStats. */
    private void resetstat(CommandContext c) {
        Server s = c.server();
        s.stats().reset();
        s.keyspace().resetStats();
        s.maxMemory().resetStats();
        s.clientEviction().resetStats();
        for (CommandSpec spec : s.commands().all()) {
            spec.resetStats();
        }
        c.reply().ok();
    }

    private void rewrite(CommandContext c) {
        String file = c.server().config().configFile;
        if (file == null || file.isEmpty()) {
            throw new CommandError("ERR The server is running without a config file");
        }
        try {
            ConfigRewriter.rewriteFile(Path.of(file), c.server().config().registry());
        } catch (IOException e) {
            String reason = ConfigRewriter.reason(e);
            Log.warning("CONFIG REWRITE failed: " + reason);
            throw new CommandError("ERR Rewriting config file: " + reason);
        }
        Log.warning("CONFIG REWRITE executed with success.");
        c.reply().ok();
    }

    /** DEBUG CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE writing every directive, defaults included. */
    static void rewriteForceAll(CommandContext c) {
        String file = c.server().config().configFile;
        if (file == null || file.isEmpty()) {
            throw new CommandError("ERR CONFIG-REWRITE-FORCE-ALL failed: The server is running without a config file");
        }
        try {
            ConfigRewriter.rewriteFile(Path.of(file), c.server().config().registry(), true);
        } catch (IOException e) {
            throw new CommandError("ERR CONFIG-REWRITE-FORCE-ALL failed: " + ConfigRewriter.reason(e));
        }
        c.reply().ok();
    }

    private void help(CommandContext c) {
        replyHelp(c, HELP);
    }

    /** Redis's addReplyHelp: a header naming the command, the lines, then HELP itself. */
    static void replyHelp(CommandContext c, String[] lines) {
        c.reply().array(lines.length + 3);
        c.reply().simple(c.argString(0).toUpperCase(Locale.ROOT) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            c.reply().simple(line);
        }
        c.reply().simple("HELP");
        c.reply().simple("    Prints this help.");
    }
}
