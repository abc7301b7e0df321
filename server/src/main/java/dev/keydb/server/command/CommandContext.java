package dev.keydb.server.command;

import dev.keydb.server.Client;
import dev.keydb.server.Server;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Database;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.Strings;
import java.nio.charset.StandardCharsets;

/**
 * What a command sees while it runs: the server, the calling client, its arguments, the reply
 * writer and the time of the call (one "now" per command, so a command sees one instant, as
 * Redis caches mstime per command). One instance per client, reused for every command.
 */
public final class CommandContext {
    private final Server server;
    private final Client client;
    private final Reply reply;
    private byte[][] argv;
    private CommandSpec spec;
    private long now;
    private boolean retrying;
    private boolean moved;
    /** The command last moved to the script thread: its second run there is not its first. */
    private byte[][] movedArgv;
    private boolean stillBlocked;
    /** What this command propagates instead of its argv (Redis's rewriteClientCommandVector), or null. */
    private byte[][] propagateAs;
    /** Set when the command propagates nothing of itself (Redis's preventCommandPropagation). */
    private boolean preventPropagation;
    private boolean forcePropagation;

    public CommandContext(Server server, Client client) {
        this(server, client, client.reply());
    }

    /**
     * A context writing to another reply writer than the client's own: used to run a command
     * for a client from another client's thread (serving a blocked client), so the two never
     * share a writer.
     */
    public CommandContext(Server server, Client client, Reply reply) {
        this.server = server;
        this.client = client;
        this.reply = reply;
    }

    public void begin(CommandSpec spec, byte[][] argv, long now) {
        this.spec = spec;
        this.argv = argv;
        this.now = now;
        this.propagateAs = null;
        this.preventPropagation = false;
        this.forcePropagation = false;
    }

    // ---- propagation (AOF, replication) --------------------------------------------------------

    /**
     * Propagates this command as {@code argv} instead of as it was called, so that its replay is
     * deterministic (SET EX as SET PXAT, SPOP as SREM...): Redis's rewriteClientCommandVector.
     * Only used if the command changed the dataset.
     */
    public void propagateAs(byte[]... argv) {
        this.propagateAs = argv;
    }

    /** Propagates {@code argv} (in the current database) before this command's own entry: Redis's alsoPropagate. */
    public void alsoPropagate(byte[]... argv) {
        server.propagation().add(client.db(), argv);
    }

    /** This command propagates nothing of itself (what it added with alsoPropagate stays). */
    public void preventPropagation() {
        this.preventPropagation = true;
    }

    /** This command is propagated even if it changed nothing (Redis's forceCommandPropagation). */
    public void forcePropagation() {
        this.forcePropagation = true;
    }

    /** Whether {@link #forcePropagation} was asked for by the running command. */
    public boolean propagationForced() {
        return forcePropagation;
    }

    /** Whether propagation has a consumer now: rewrites may skip building their argv when not. */
    public boolean propagating() {
        return server.propagation().active();
    }

    /** The argv this command propagates if it changed the dataset, or null for none. */
    public byte[][] propagatedArgv() {
        return preventPropagation ? null : propagateAs != null ? propagateAs : argv;
    }

    /** An ASCII argument for a propagated command. */
    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] bytes(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    public Server server() { return server; }
    public Client client() { return client; }
    public Reply reply() { return reply; }
    public CommandSpec spec() { return spec; }
    public long now() { return now; }
    public byte[][] argv() { return argv; }
    public int argc() { return argv.length; }
    public byte[] arg(int i) { return argv[i]; }

    public String argString(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    /** Case-insensitive comparison of an argument with an ASCII keyword. */
    public boolean argIs(int i, String keyword) {
        byte[] a = argv[i];
        if (a.length != keyword.length()) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            int c = a[k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            int w = keyword.charAt(k);
            if (w >= 'A' && w <= 'Z') {
                w += 32;
            }
            if (c != w) {
                return false;
            }
        }
        return true;
    }

    /**
     * Blocks the client on {@code keys} because the command found nothing to take: no reply is
     * written now; the command is re-run when one of the keys is written, and after
     * {@code timeoutMs} (0 = never) {@code onTimeout} writes the reply instead.
     */
    public void block(byte[][] keys, long timeoutMs, java.util.function.Consumer<Reply> onTimeout) {
        server.blockedClients().block(this, keys, timeoutMs, onTimeout);
    }

    /** False inside MULTI/EXEC and for internal clients (scripts), where blocking commands answer at once. */
    public boolean mayBlock() {
        return !client.executingMulti() && client.channel() != null;
    }

    /** Tells clients blocked on {@code key} (in the current db) that a write may have fed it. */
    public void signalKeyAsReady(byte[] key) {
        server.blockedClients().signal(client.db(), key);
    }

    /**
     * Records that this command changed {@code key} in the current database: invalidates
     * WATCHes, fires the keyspace notification {@code event} of class {@code eventType}
     * ({@link dev.keydb.server.KeyspaceEvents} constants) and counts a change. Every command
     * that modifies a key calls it once per key it changed, as Redis's signalModifiedKey +
     * notifyKeyspaceEvent pairs.
     */
    public void changed(byte[] key, int eventType, String event) {
        server.keyChanged(client.db(), key, eventType, event);
    }

    /**
     * HDEL/SREM/ZREM: removes each member argument from {@code argv[2..]} until the collection
     * at {@code key} is empty, deleting the key then (the {@code event}, then "del", as Redis's
     * per-type code); returns how many were removed.
     */
    public long removeMembers(byte[] key, java.util.function.Predicate<byte[]> remove, java.util.function.LongSupplier size,
                              int eventType, String event) {
        long removed = 0;
        for (int i = 2; i < argv.length; i++) {
            if (remove.test(argv[i])) {
                removed++;
                if (size.getAsLong() == 0) {
                    break;
                }
            }
        }
        if (removed > 0) {
            boolean emptied = size.getAsLong() == 0;
            if (emptied) {
                db().delete(key);
            }
            changed(key, eventType, event);
            if (emptied) {
                notifyEvent(key, dev.keydb.server.KeyspaceEvents.GENERIC, "del");
            }
        }
        return removed;
    }

    /** A keyspace notification alone, for events that follow a change already recorded (e.g. "del" after a pop emptied a list). */
    public void notifyEvent(byte[] key, int eventType, String event) {
        server.keyspaceEvents().notify(eventType, event, key, client.db());
    }

    /**
     * Whether this command (a script) could still move to the script thread: it is a network
     * client's own command running on an event loop, not one inside EXEC or a script.
     */
    public boolean canMoveToScriptThread() {
        return client.channel() != null && !client.executingMulti() && !retrying && !server.onScriptThread();
    }

    /**
     * Asks for this command to run again, from the start, on the script thread: a handler that
     * gets true returns at once, with nothing replied or changed; the command and what the
     * client sent after it then run there in order while its event loop serves everyone else.
     */
    public boolean moveToScriptThread() {
        if (!canMoveToScriptThread()) {
            return false;
        }
        moved = true;
        movedArgv = argv;
        return true;
    }

    /** Whether the handler moved the command (and forgets it: the caller hands the client off). */
    public boolean takeMoved() {
        boolean m = moved;
        moved = false;
        return m;
    }

    /** Whether the handler asked to move the command and has returned. */
    public boolean moved() { return moved; }

    /** Whether this run is the one a move asked for (what the first run did, such as feeding MONITOR, is not redone). */
    public boolean runsAfterMove() {
        if (argv != null && argv == movedArgv) {
            movedArgv = null;
            return true;
        }
        return false;
    }

    /** Whether this run is the retry of a blocked client's command. */
    public boolean retrying() { return retrying; }
    public void retrying(boolean r) { retrying = r; }
    public boolean stillBlocked() { return stillBlocked; }
    public void stillBlocked(boolean b) { stillBlocked = b; }

    /** The client's selected database. */
    public Database db() {
        return server.keyspace().db(client.db());
    }

    /**
     * Looks a key up for reading (lazy expiry, access clock, keyspace_hits/misses), as
     * Redis's lookupKeyRead.
     */
    public Object readKey(byte[] key) {
        Object v = db().lookup(key, now);
        if (v == null) {
            server.stats().keyspaceMisses++;
        } else {
            server.stats().keyspaceHits++;
        }
        return v;
    }

    /** Looks a key up for writing: lazy expiry and access clock, no hit/miss statistics. */
    public Object writeKey(byte[] key) {
        return db().lookup(key, now);
    }

    /** Reads a key that must hold a string (or be absent): WRONGTYPE otherwise. */
    public Object readString(byte[] key) {
        Object v = readKey(key);
        if (v != null && !Strings.isString(v)) {
            throw CommandError.WRONGTYPE;
        }
        return v;
    }

    /** An integer argument, or "value is not an integer or out of range". */
    public long longArg(int i) {
        Long v = Numbers.parseLongOrNull(argv[i]);
        if (v == null) {
            throw CommandError.NOT_INTEGER;
        }
        return v;
    }

    /** An integer argument with a custom error text. */
    public long longArg(int i, String error) {
        Long v = Numbers.parseLongOrNull(argv[i]);
        if (v == null) {
            throw new CommandError(error);
        }
        return v;
    }

    public double doubleArg(int i) {
        Double v = Numbers.parseDoubleOrNull(argv[i]);
        if (v == null) {
            throw CommandError.NOT_FLOAT;
        }
        return v;
    }

    /** The error for a wrong argument count, naming the command as Redis does ('config|get'). */
    public CommandError wrongArity() {
        return new CommandError("ERR wrong number of arguments for '" + spec.fullName() + "' command");
    }
}
