package dev.keydb.server.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one declarative command table. Dispatch, arity errors, COMMAND and its subcommands,
 * ACL categories and key extraction all read it. Lookup by the raw argument bytes is
 * case-insensitive and allocation-free (an open-addressing table over ASCII-lowercased hashes).
 */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new TreeMap<>();
    private CommandSpec[] slots = new CommandSpec[512];
    private byte[][] slotNames = new byte[512][];

    public void add(CommandSpec.Builder builder) {
        add(builder.build());
    }

    public void add(CommandSpec spec) {
        if (byName.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("command declared twice: " + spec.name());
        }
        if (byName.size() * 2 > slots.length) {
            rebuild(slots.length * 2);
        } else {
            insert(spec);
        }
    }

    public void addAll(CommandFamily... families) {
        for (CommandFamily f : families) {
            f.register(this);
        }
    }

    private void rebuild(int capacity) {
        slots = new CommandSpec[capacity];
        slotNames = new byte[capacity][];
        byName.values().forEach(this::insert);
    }

    private void insert(CommandSpec spec) {
        byte[] n = spec.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int m = slots.length - 1;
        int i = hashLower(n) & m;
        while (slots[i] != null) {
            i = (i + 1) & m;
        }
        slots[i] = spec;
        slotNames[i] = n;
    }

    /** The command named by {@code name} in any letter case, or null. */
    public CommandSpec lookup(byte[] name) {
        int m = slots.length - 1;
        for (int i = hashLower(name) & m; slots[i] != null; i = (i + 1) & m) {
            if (equalsIgnoreCase(slotNames[i], name)) {
                return slots[i];
            }
        }
        return null;
    }

    /**
     * What {@code argv} calls: the command, or the subcommand its second word names when the
     * command has subcommands; null for an unknown command or subcommand.
     */
    public CommandSpec resolve(byte[][] argv) {
        CommandSpec spec = lookup(argv[0]);
        if (spec != null && !spec.subcommands().isEmpty() && argv.length >= 2) {
            spec = spec.subcommands().get(new String(argv[1], java.nio.charset.StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
        }
        return spec;
    }

    public CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    public int size() {
        return byName.size();
    }

    /** Every command and subcommand, for stats. */
    public List<CommandSpec> allWithSubcommands() {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec s : byName.values()) {
            out.add(s);
            out.addAll(s.subcommands().values());
        }
        return out;
    }

    private static int hashLower(byte[] b) {
        int h = 0;
        for (byte x : b) {
            h = 31 * h + lower(x);
        }
        return h ^ (h >>> 16);
    }

    private static int lower(byte x) {
        return x >= 'A' && x <= 'Z' ? x + 32 : x;
    }

    public static boolean equalsIgnoreCase(byte[] lowerName, byte[] arg) {
        if (lowerName.length != arg.length) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            if (lowerName[i] != lower(arg[i])) {
                return false;
            }
        }
        return true;
    }
}
