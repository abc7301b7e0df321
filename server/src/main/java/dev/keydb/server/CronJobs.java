package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Database;
import dev.keydb.storage.types.CronJob;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs KEYDB.CRON jobs (KeyDB's cron.cpp executeCronJobExpireHook) from the server cron: a job
 * due at its next time runs its script as EVAL through the dispatcher, as a connectionless
 * client selected on the job's database, under the keyspace lock; then a single-shot job's key
 * is deleted and a repeating one moves to its next interval, and the "CRON Executed" keyevent
 * is published. KeyDB triggers a job with a member expire on its key; here the scheduler keeps
 * the (db, key) names that may hold a job and re-validates them on every tick. A name is
 * learnt when KEYDB.CRON stores a job and whenever a key holding a job is added to a database,
 * whatever added it: RENAME, COPY, MOVE, RESTORE, a load at start-up or by DEBUG RELOAD. A name
 * that no longer holds a job (deleted, overwritten, renamed, flushed) is forgotten at the next
 * tick, after looking for the same name in the other databases (SWAPDB moves jobs without
 * adding keys).
 */
public final class CronJobs {
    private static final byte[] EVAL = "EVAL".getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final Set<DbKey> keys = new LinkedHashSet<>();
    private Client client;

    CronJobs(Server server) {
        this.server = server;
    }

    /** KEYDB.CRON stored a job at {@code key} of {@code db} (caller holds the keyspace lock). */
    public void scheduled(int db, byte[] key) {
        keys.add(new DbKey(db, key));
    }

    /**
     * A key was added to database {@code db} (Keyspace's added event, under the keyspace lock):
     * remembered when it holds a job. Free until the first job of this JVM exists.
     */
    void added(int db, byte[] key) {
        if (CronJob.anyCreated() && server.keyspace().db(db).peek(key) instanceof CronJob) {
            keys.add(new DbKey(db, key));
        }
    }

    /** Jobs known to the scheduler (INFO, tests). */
    public int size() {
        return keys.size();
    }

    /** One cron tick: runs every due job; takes the keyspace lock only when jobs exist. */
    void tick(long nowMs) {
        if (keys.isEmpty()) {
            return;
        }
        server.lock().lock();
        try {
            List<DbKey> due = new ArrayList<>();
            List<DbKey> moved = new ArrayList<>();
            for (Iterator<DbKey> it = keys.iterator(); it.hasNext(); ) {
                DbKey k = it.next();
                Object v = server.keyspace().db(k.db()).peek(k.key());
                if (v instanceof CronJob job) {
                    if (nowMs >= job.nextMs()) {
                        due.add(k);
                    }
                    continue;
                }
                it.remove();
                // SWAPDB takes jobs to other databases under the same names.
                for (int db = 0; db < server.keyspace().databases(); db++) {
                    if (db != k.db() && server.keyspace().db(db).peek(k.key()) instanceof CronJob) {
                        moved.add(new DbKey(db, k.key()));
                    }
                }
            }
            keys.addAll(moved);
            for (DbKey k : due) {
                // An earlier job's script may have removed or replaced this one.
                if (server.keyspace().db(k.db()).peek(k.key()) instanceof CronJob job) {
                    run(k, job, nowMs);
                }
            }
        } finally {
            server.lock().unlock();
        }
    }

    private void run(DbKey k, CronJob job, long nowMs) {
        byte[][] argv = new byte[3 + job.keys().length + job.args().length][];
        argv[0] = EVAL;
        argv[1] = job.script();
        argv[2] = Integer.toString(job.keys().length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(job.keys(), 0, argv, 3, job.keys().length);
        System.arraycopy(job.args(), 0, argv, 3 + job.keys().length, job.args().length);
        if (client == null) {
            client = server.newScriptClient();
        }
        client.db(k.db());
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer(64);
        try {
            Reply reply = new Reply(server.stats());
            reply.protocol(2);
            reply.target(out);
            server.dispatcher().execute(new CommandContext(server, client, reply), argv); // the reply is dropped, as KeyDB's
        } catch (RuntimeException e) {
            Log.warning("KEYDB.CRON job '" + new String(k.key(), StandardCharsets.UTF_8) + "' failed: " + e);
        } finally {
            out.release();
        }
        Database db = server.keyspace().db(k.db());
        if (db.peek(k.key()) != job) {
            return; // the script replaced or deleted its own key
        }
        if (job.singleShot()) {
            db.delete(k.key());
            keys.remove(k);
        } else {
            // Changed in place: through a lookup that copies it first when a snapshot (BGSAVE) still shares it.
            boolean previous = server.keyspace().commandMayModify(true);
            try {
                ((CronJob) db.lookupNoTouch(k.key(), Long.MIN_VALUE)).advance(nowMs);
            } finally {
                server.keyspace().commandMayModify(previous);
            }
        }
        server.keyChanged(k.db(), k.key(), KeyspaceEvents.KEYEVENT, "CRON Executed");
    }
}
