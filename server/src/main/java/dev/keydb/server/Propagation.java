package dev.keydb.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Command propagation (Redis 7.0's server.also_propagate, call() and propagatePendingCommands):
 * what each top-level command changed, as a replayable sequence of commands.
 *
 * <p>The dispatcher {@link #enter enters} a call before a command runs and {@link #exit exits}
 * it after; a command that moved the dirty counter adds its argv as executed (or the
 * deterministic form it asked for with {@code CommandContext.propagateAs}), after anything it or
 * the commands it ran added meanwhile ({@code alsoPropagate}, expired keys deleted on access,
 * the writes of a script or a transaction). When the outermost call ends, the collected
 * operations are handed to every {@link Listener} as one unit, wrapped in MULTI/EXEC when there
 * is more than one, as Redis 7.0. Deletions of expired keys (and KeyDB's expired members) are
 * units of their own, sent at once ({@link #now}). Everything runs under the keyspace lock, so
 * listeners see one total order of writes: the AOF now, replication later.
 */
public final class Propagation {
    /** One command to propagate, in the database it ran in. */
    public record Op(int db, byte[][] argv) {}

    /** A consumer of the propagated stream (AOF, replication). Called under the keyspace lock. */
    public interface Listener {
        /** A finished unit: apply all of its operations, in order (MULTI/EXEC already added when needed). */
        void propagate(List<Op> unit);
    }

    static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNLINK = "UNLINK".getBytes(StandardCharsets.US_ASCII);

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ArrayList<Op> pending = new ArrayList<>();
    private int depth;
    /** Nothing is collected while replaying a file (Redis's loading state) or with no listener. */
    private int suspended;

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** Whether anything consumes the stream now (commands may skip building a rewrite when not). */
    public boolean active() {
        return suspended == 0 && !listeners.isEmpty();
    }

    /** Stops collecting (AOF loading); pairs with {@link #resume}. */
    public void suspend() {
        suspended++;
    }

    public void resume() {
        suspended--;
    }

    /**
     * Commands never propagated themselves, only the commands they ran: EXEC (its queued
     * writes) and scripts and functions (effects replication, the only kind in Redis 7).
     */
    static boolean propagatesEffectsOnly(dev.keydb.server.command.CommandSpec spec) {
        return spec.runsScript() || spec.name().equals("exec");
    }

    /** A command starts (nested calls from EXEC or a script nest). */
    public void enter() {
        depth++;
    }

    /** A command ended: the outermost one hands its unit to the listeners. */
    public void exit() {
        if (--depth == 0) {
            flushPending();
        }
    }

    /** Adds one operation to the current unit (or as a unit of its own outside any command). */
    public void add(int db, byte[][] argv) {
        if (!active()) {
            return;
        }
        pending.add(new Op(db, argv));
        if (depth == 0) {
            flushPending();
        }
    }

    /**
     * A key removed because it expired: DEL, or UNLINK with lazyfree-lazy-expire (Redis's
     * propagateDeletion). It goes out at once as a unit of its own, ahead of the command (or
     * transaction, or script) whose access found it expired, as Redis 7.0's propagateNow.
     */
    public void deletion(int db, byte[] key, boolean lazy) {
        now(db, new byte[][] {lazy ? UNLINK : DEL, key});
    }

    /** Sends {@code argv} at once as a unit of its own (Redis's propagateNow), whatever command is running. */
    public void now(int db, byte[][] argv) {
        if (!active()) {
            return;
        }
        List<Op> unit = List.of(new Op(db, argv));
        for (Listener l : listeners) {
            l.propagate(unit);
        }
    }

    private void flushPending() {
        if (pending.isEmpty()) {
            return;
        }
        List<Op> unit;
        if (pending.size() == 1) {
            unit = List.of(pending.get(0));
        } else {
            unit = new ArrayList<>(pending.size() + 2);
            unit.add(new Op(pending.get(0).db(), new byte[][] {MULTI}));
            unit.addAll(pending);
            unit.add(new Op(pending.get(pending.size() - 1).db(), new byte[][] {EXEC}));
        }
        pending.clear();
        for (Listener l : listeners) {
            l.propagate(unit);
        }
    }
}
