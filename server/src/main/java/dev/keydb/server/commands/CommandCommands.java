package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * COMMAND and its subcommands (Redis 7.0 server.c commandCommand and friends), all read from
 * the one {@link CommandTable}.
 *
 * <p>Key specifications are derived from each command's first/last/step key positions: one
 * {@code begin_search index} + {@code find_keys range} spec, or an {@code unknown} spec for
 * movable-key commands. Their access flags are an approximation of Redis's per-command
 * specs: a write command's keys are {@code RW update}, every other command's keys
 * {@code RO access} (Redis distinguishes e.g. MSET's {@code OW update} and DEL's
 * {@code RM delete}). Command tips are not declared in the table yet and are always empty.
 */
public final class CommandCommands implements CommandFamily {
    /** Redis's ACL category table order (acl.c ACLCommandCategories), which COMMAND INFO follows. */
    private static final List<String> CATEGORY_ORDER = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    /** Flags Redis hides from COMMAND INFO (server.c addReplyCommandFlags). */
    private static final Set<CommandFlag> HIDDEN_FLAGS =
            EnumSet.of(CommandFlag.MAY_REPLICATE, CommandFlag.SENTINEL, CommandFlag.ONLY_SENTINEL, CommandFlag.PROTECTED);

    @Override
    public void register(CommandTable t) {
        String g = "connection";
        t.add(command("command", -1).flags(LOADING, STALE).acl(g).group("server")
                .doc("2.8.13", "O(N) where N is the total number of Redis commands", "Get array of Redis command details")
                .run(this::all)
                .sub(command("count", 2).flags(LOADING, STALE).acl(g)
                        .doc("2.8.13", "O(1)", "Get total number of Redis commands")
                        .run(c -> c.reply().integer(c.server().commands().size())))
                .sub(command("info", -2).flags(LOADING, STALE).acl(g)
                        .doc("2.8.13", "O(N) where N is the number of commands to look up",
                                "Get array of specific Redis command details, or all when no argument is given.")
                        .run(this::info))
                .sub(command("docs", -2).flags(LOADING, STALE).acl(g)
                        .doc("7.0.0", "O(N) where N is the number of commands to look up",
                                "Get array of specific Redis command documentation")
                        .run(this::docs))
                .sub(command("list", -2).flags(LOADING, STALE).acl(g)
                        .doc("7.0.0", "O(N) where N is the total number of Redis commands", "Get an array of Redis command names")
                        .run(this::list))
                .sub(command("getkeys", -4).flags(LOADING, STALE).acl(g)
                        .doc("2.8.13", "O(N) where N is the number of arguments to the command",
                                "Extract keys given a full Redis command")
                        .run(c -> getKeys(c, false)))
                .sub(command("getkeysandflags", -4).flags(LOADING, STALE).acl(g)
                        .doc("7.0.0", "O(N) where N is the number of arguments to the command",
                                "Extract keys and access flags given a full Redis command")
                        .run(c -> getKeys(c, true)))
                .sub(command("help", 2).flags(LOADING, STALE).acl(g)
                        .doc("5.0.0", "O(1)", "Show helpful text about the different subcommands")
                        .run(this::help)));
    }

    // ---- COMMAND / COMMAND INFO ---------------------------------------------------------------

    private void all(CommandContext c) {
        var all = c.server().commands().all();
        c.reply().array(all.size());
        for (CommandSpec spec : all) {
            writeInfo(c.reply(), spec);
        }
    }

    private void info(CommandContext c) {
        if (c.argc() == 2) {
            all(c);
            return;
        }
        c.reply().array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            CommandSpec spec = lookupFullName(c.server().commands(), c.argString(j));
            if (spec == null) {
                c.reply().nullBulk();
            } else {
                writeInfo(c.reply(), spec);
            }
        }
    }

    /** A command by name, or a subcommand by its full name ("config|get"), case-insensitive. */
    static CommandSpec lookupFullName(CommandTable table, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return table.lookup(name);
        }
        CommandSpec parent = table.lookup(name.substring(0, bar));
        if (parent == null || name.indexOf('|', bar + 1) >= 0) {
            return null;
        }
        return parent.subcommands().get(name.substring(bar + 1).toLowerCase(Locale.ROOT));
    }

    /** The 10-element COMMAND INFO entry of Redis 7. */
    static void writeInfo(Reply r, CommandSpec spec) {
        r.array(10);
        r.bulk(spec.fullName());
        r.integer(spec.arity());
        List<String> flags = new ArrayList<>();
        for (CommandFlag f : spec.flags()) { // enum order is Redis's order
            if (!HIDDEN_FLAGS.contains(f)) {
                flags.add(f.wireName());
            }
        }
        r.set(flags.size());
        for (String f : flags) {
            r.simple(f);
        }
        int first = Math.max(0, spec.firstKey());
        r.integer(first);
        r.integer(first > 0 ? spec.lastKey() : 0);
        r.integer(first > 0 ? spec.keyStep() : 0);
        List<String> categories = orderedCategories(spec);
        r.set(categories.size());
        for (String cat : categories) {
            r.simple("@" + cat);
        }
        r.set(0); // tips
        writeKeySpecs(r, spec);
        if (spec.subcommands().isEmpty()) {
            r.set(0);
        } else {
            r.array(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                writeInfo(r, sub);
            }
        }
    }

    static List<String> orderedCategories(CommandSpec spec) {
        List<String> out = new ArrayList<>();
        for (String cat : CATEGORY_ORDER) {
            if (spec.aclCategories().contains(cat)) {
                out.add(cat);
            }
        }
        for (String cat : spec.aclCategories()) {
            if (!CATEGORY_ORDER.contains(cat)) {
                out.add(cat);
            }
        }
        return out;
    }

    /** Key-spec access flags, approximated from the command flags (see the class comment). */
    static List<String> keyFlags(CommandSpec spec) {
        return spec.has(CommandFlag.WRITE) ? List.of("RW", "update") : List.of("RO", "access");
    }

    private static void writeKeySpecs(Reply r, CommandSpec spec) {
        boolean movable = spec.keyFinder() != null;
        if (!movable && spec.firstKey() <= 0) {
            r.set(0);
            return;
        }
        r.set(1);
        r.map(3);
        r.bulk("flags");
        List<String> flags = keyFlags(spec);
        r.set(flags.size());
        for (String f : flags) {
            r.simple(f);
        }
        r.bulk("begin_search");
        r.map(2);
        r.bulk("type");
        if (movable) {
            r.bulk("unknown");
            r.bulk("spec");
            r.map(0);
        } else {
            r.bulk("index");
            r.bulk("spec");
            r.map(1);
            r.bulk("index");
            r.integer(spec.firstKey());
        }
        r.bulk("find_keys");
        r.map(2);
        r.bulk("type");
        if (movable) {
            r.bulk("unknown");
            r.bulk("spec");
            r.map(0);
        } else {
            r.bulk("range");
            r.bulk("spec");
            r.map(3);
            r.bulk("lastkey");
            // Redis's range spec counts the last key relative to the first (negative: from the end).
            r.integer(spec.lastKey() >= 0 ? spec.lastKey() - spec.firstKey() : spec.lastKey());
            r.bulk("keystep");
            r.integer(spec.keyStep());
            r.bulk("limit");
            r.integer(0);
        }
    }

    // ---- COMMAND DOCS -------------------------------------------------------------------------

    private void docs(CommandContext c) {
        CommandTable table = c.server().commands();
        List<CommandSpec> found = new ArrayList<>();
        if (c.argc() == 2) {
            found.addAll(table.all());
        } else {
            for (int j = 2; j < c.argc(); j++) {
                CommandSpec spec = lookupFullName(table, c.argString(j));
                if (spec != null) { // unknown names are left out of the map
                    found.add(spec);
                }
            }
        }
        c.reply().map(found.size());
        for (CommandSpec spec : found) {
            c.reply().bulk(spec.fullName());
            writeDocs(c.reply(), spec);
        }
    }

    private static void writeDocs(Reply r, CommandSpec spec) {
        int n = 3 + (spec.complexity() != null ? 1 : 0) + (spec.subcommands().isEmpty() ? 0 : 1);
        r.map(n);
        r.bulk("summary");
        r.bulk(spec.summary());
        r.bulk("since");
        r.bulk(spec.since());
        r.bulk("group");
        r.bulk(spec.group());
        if (spec.complexity() != null) {
            r.bulk("complexity");
            r.bulk(spec.complexity());
        }
        if (!spec.subcommands().isEmpty()) {
            r.bulk("subcommands");
            r.map(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                r.bulk(sub.fullName());
                writeDocs(r, sub);
            }
        }
    }

    // ---- COMMAND LIST -------------------------------------------------------------------------

    private void list(CommandContext c) {
        String filterType = null;
        String filterArg = null;
        for (int i = 2; i < c.argc(); i++) {
            int moreargs = c.argc() - 1 - i;
            if (c.argIs(i, "filterby") && moreargs == 2) {
                if (c.argIs(i + 1, "module") || c.argIs(i + 1, "aclcat") || c.argIs(i + 1, "pattern")) {
                    filterType = c.argString(i + 1).toLowerCase(Locale.ROOT);
                } else {
                    throw CommandError.SYNTAX;
                }
                filterArg = c.argString(i + 2);
                i += 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : c.server().commands().all()) {
            addListed(names, spec, filterType, filterArg);
        }
        c.reply().array(names.size());
        for (String name : names) {
            c.reply().bulk(name);
        }
    }

    /** A command and, independently of it, each of its subcommands that passes the filter. */
    private static void addListed(List<String> out, CommandSpec spec, String filterType, String filterArg) {
        if (filterType == null || matches(spec, filterType, filterArg)) {
            out.add(spec.fullName());
        }
        for (CommandSpec sub : spec.subcommands().values()) {
            addListed(out, sub, filterType, filterArg);
        }
    }

    private static boolean matches(CommandSpec spec, String type, String arg) {
        switch (type) {
            case "module":
                return false; // no modules
            case "aclcat":
                return spec.aclCategories().contains(arg.toLowerCase(Locale.ROOT));
            default:
                return Glob.matches(arg.getBytes(StandardCharsets.UTF_8), spec.fullName().getBytes(StandardCharsets.UTF_8), true);
        }
    }

    // ---- COMMAND GETKEYS / GETKEYSANDFLAGS ----------------------------------------------------

    private void getKeys(CommandContext c, boolean withFlags) {
        byte[][] argv = new byte[c.argc() - 2][];
        System.arraycopy(c.argv(), 2, argv, 0, argv.length);
        CommandSpec spec = c.server().commands().resolve(argv);
        if (spec == null) {
            throw new CommandError("ERR Invalid command specified");
        }
        if (spec.keyFinder() == null && spec.firstKey() <= 0) {
            throw new CommandError("ERR The command has no key arguments");
        }
        if (!spec.arityAccepts(argv.length)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        int[] keys = spec.keyPositions(argv);
        if (keys.length == 0) {
            if (spec.has(CommandFlag.NO_MANDATORY_KEYS)) {
                c.reply().array(0);
                return;
            }
            throw new CommandError("ERR Invalid arguments specified for command");
        }
        Reply r = c.reply();
        r.array(keys.length);
        List<String> flags = keyFlags(spec);
        for (int pos : keys) {
            if (withFlags) {
                r.array(2);
                r.bulk(argv[pos]);
                r.set(flags.size());
                for (String f : flags) {
                    r.simple(f);
                }
            } else {
                r.bulk(argv[pos]);
            }
        }
    }

    private void help(CommandContext c) {
        Help.reply(c, "COMMAND",
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }
}
