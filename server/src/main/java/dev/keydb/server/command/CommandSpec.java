package dev.keydb.server.command;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One row of the command table: everything COMMAND INFO/DOCS, the dispatcher, ACL categories
 * and key extraction need about a command or subcommand. Built with {@link #command}.
 * Execution statistics (INFO commandstats) live here too; they are updated under the keyspace lock.
 */
public final class CommandSpec {
    private final String name;
    private final String fullName;
    private final int arity;
    private final Set<CommandFlag> flags;
    private final int firstKey, lastKey, keyStep;
    private final Set<String> aclCategories;
    private final String group, summary, since, complexity;
    private final CommandHandler handler;
    private final Map<String, CommandSpec> subcommands;
    private final CommandSpec parent;
    private final KeyFinder keyFinder;
    /** Whether the command may change stored values in place: anything not read-only, and PFCOUNT-like may_replicate reads. */
    private final boolean mayModifyValues;
    /** Whether the command runs Lua (EVAL*, FCALL*): such commands run on the script thread. */
    private final boolean runsScript;

    long calls, usec, rejectedCalls, failedCalls;
    /** latency-tracking: this command's latency histogram, created on its first tracked call. */
    private dev.keydb.server.LatencyHistogram latency;

    /** Finds key argument positions for commands whose keys move (movablekeys). */
    @FunctionalInterface
    public interface KeyFinder {
        int[] keys(byte[][] argv);
    }

    private CommandSpec(Builder b, CommandSpec parent) {
        this.name = b.name;
        this.parent = parent;
        this.fullName = parent == null ? b.name : parent.name + "|" + b.name;
        this.arity = b.arity;
        this.flags = Collections.unmodifiableSet(b.flags.isEmpty() ? EnumSet.noneOf(CommandFlag.class) : EnumSet.copyOf(b.flags));
        this.firstKey = b.firstKey;
        this.lastKey = b.lastKey;
        this.keyStep = b.keyStep;
        this.group = b.group != null ? b.group : parent != null ? parent.group : "generic";
        this.summary = b.summary;
        this.since = b.since;
        this.complexity = b.complexity;
        this.handler = b.handler;
        this.keyFinder = b.keyFinder;
        this.runsScript = b.runsScript;
        this.mayModifyValues = !flags.contains(CommandFlag.READONLY) || flags.contains(CommandFlag.MAY_REPLICATE);
        this.aclCategories = Collections.unmodifiableSet(categories(b, flags));
        Map<String, CommandSpec> subs = new LinkedHashMap<>();
        for (Builder sb : b.subcommands) {
            if (sb.group == null) {
                sb.group = this.group;
            }
            CommandSpec s = new CommandSpec(sb, this);
            subs.put(s.name, s);
        }
        this.subcommands = Collections.unmodifiableMap(subs);
    }

    /** Explicit categories plus the ones Redis derives from flags (server.c setImplicitACLCategories). */
    private static Set<String> categories(Builder b, Set<CommandFlag> flags) {
        Set<String> c = new LinkedHashSet<>();
        if (flags.contains(CommandFlag.WRITE)) {
            c.add("write");
        }
        if (flags.contains(CommandFlag.READONLY) && !b.acl.contains("scripting")) {
            c.add("read");
        }
        if (flags.contains(CommandFlag.ADMIN)) {
            c.add("admin");
            c.add("dangerous");
        }
        if (flags.contains(CommandFlag.PUBSUB)) {
            c.add("pubsub");
        }
        if (flags.contains(CommandFlag.FAST)) {
            c.add("fast");
        }
        if (flags.contains(CommandFlag.BLOCKING)) {
            c.add("blocking");
        }
        c.addAll(b.acl);
        if (!flags.contains(CommandFlag.FAST)) {
            c.add("slow");
        }
        return c;
    }

    public static Builder command(String name, int arity) {
        return new Builder(name, arity);
    }

    public String name() { return name; }
    public String fullName() { return fullName; }
    public int arity() { return arity; }
    public Set<CommandFlag> flags() { return flags; }
    public boolean has(CommandFlag f) { return flags.contains(f); }
    public boolean mayModifyValues() { return mayModifyValues; }
    public boolean runsScript() { return runsScript; }
    public int firstKey() { return firstKey; }
    public int lastKey() { return lastKey; }
    public int keyStep() { return keyStep; }
    public Set<String> aclCategories() { return aclCategories; }
    public String group() { return group; }
    public String summary() { return summary; }
    public String since() { return since; }
    public String complexity() { return complexity; }
    public CommandHandler handler() { return handler; }
    public Map<String, CommandSpec> subcommands() { return subcommands; }
    public CommandSpec parent() { return parent; }
    public KeyFinder keyFinder() { return keyFinder; }
    public long calls() { return calls; }
    public long usec() { return usec; }
    public long rejectedCalls() { return rejectedCalls; }
    public long failedCalls() { return failedCalls; }

    public void recordCall(long micros) {
        calls++;
        usec += micros;
    }

    /** Adds a call's duration to the latency histogram (LATENCY HISTOGRAM, INFO latencystats). */
    public void recordLatency(long nanos) {
        if (latency == null) {
            latency = new dev.keydb.server.LatencyHistogram();
        }
        latency.record(nanos);
    }

    /** The latency histogram, or null when no call was tracked since start or CONFIG RESETSTAT. */
    public dev.keydb.server.LatencyHistogram latencyHistogram() {
        return latency;
    }

    public void recordRejected() {
        rejectedCalls++;
    }

    public void recordFailed() {
        failedCalls++;
    }

    public void resetStats() {
        calls = usec = rejectedCalls = failedCalls = 0;
        latency = null;
        subcommands.values().forEach(CommandSpec::resetStats);
    }

    /** Whether {@code argc} arguments (command name included) satisfy the arity. */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /**
     * Positions of the key arguments in {@code argv}, as COMMAND GETKEYS and ACLs need: the
     * movable-key finder when there is one, else first/last/step (negative last counts from the end).
     */
    public int[] keyPositions(byte[][] argv) {
        if (keyFinder != null) {
            return keyFinder.keys(argv);
        }
        if (firstKey <= 0) {
            return new int[0];
        }
        int last = lastKey >= 0 ? lastKey : argv.length + lastKey;
        if (last >= argv.length) {
            last = argv.length - 1;
        }
        int n = last < firstKey ? 0 : (last - firstKey) / keyStep + 1;
        int[] out = new int[n];
        for (int i = 0, p = firstKey; i < n; i++, p += keyStep) {
            out[i] = p;
        }
        return out;
    }

    /** Declarative builder of a command row. */
    public static final class Builder {
        private final String name;
        private final int arity;
        private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private int firstKey, lastKey, keyStep;
        private final Set<String> acl = new LinkedHashSet<>();
        private String group, summary = "", since = "1.0.0", complexity;
        private CommandHandler handler;
        private KeyFinder keyFinder;
        private boolean runsScript;
        private final java.util.List<Builder> subcommands = new java.util.ArrayList<>();

        private Builder(String name, int arity) {
            this.name = name.toLowerCase(Locale.ROOT);
            this.arity = arity;
        }

        public Builder flags(CommandFlag... fs) {
            Collections.addAll(flags, fs);
            return this;
        }

        /** First key position, last (negative counts from the end), step. */
        public Builder keys(int first, int last, int step) {
            this.firstKey = first;
            this.lastKey = last;
            this.keyStep = step;
            return this;
        }

        /** Commands whose key positions depend on the arguments. */
        public Builder movableKeys(KeyFinder finder) {
            this.keyFinder = finder;
            flags.add(CommandFlag.MOVABLEKEYS);
            return this;
        }

        /** Explicit ACL categories without '@' (e.g. "string", "keyspace", "connection"). */
        public Builder acl(String... categories) {
            Collections.addAll(acl, categories);
            return this;
        }

        public Builder group(String group) {
            this.group = group;
            return this;
        }

        public Builder doc(String since, String complexity, String summary) {
            this.since = since;
            this.complexity = complexity;
            this.summary = summary;
            return this;
        }

        /** The command runs a Lua script or function (never on an event loop: see ScriptThread). */
        public Builder runsScript() {
            this.runsScript = true;
            return this;
        }

        public Builder run(CommandHandler handler) {
            this.handler = handler;
            return this;
        }

        public Builder sub(Builder subcommand) {
            subcommands.add(subcommand);
            return this;
        }

        public CommandSpec build() {
            if (handler == null && subcommands.isEmpty()) {
                throw new IllegalStateException("command " + name + " has no handler");
            }
            if (keyStep == 0 && firstKey > 0) {
                keyStep = 1;
            }
            return new CommandSpec(this, null);
        }
    }
}
