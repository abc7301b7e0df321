package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.resp.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Clients blocked by BLPOP, BZPOPMIN, XREAD BLOCK and friends, as Redis's blocked.c keeps them:
 * per (db, key) a FIFO of waiting clients, and a list of keys made ready by a write.
 *
 * <p>A blocking command is written as "try; if nothing to take, {@link CommandContext#block}".
 * After every top-level command (so after a whole MULTI/EXEC or script) the server calls
 * {@link #serveReady}: for each ready key, the clients waiting on it are retried in FIFO order
 * by re-running their command; a client whose retry produces a reply is unblocked, its reply
 * is sent and the commands it pipelined behind the blocking one are resumed on its event loop.
 * A retry that would block again leaves the client waiting where it was. Every method runs
 * under the keyspace lock.
 */
public final class BlockedClients {
    /** What one blocked client waits for. */
    static final class Block {
        final int db;
        final byte[][] keys;
        final byte[][] argv;
        final Consumer<Reply> onTimeout;
        io.netty.util.concurrent.ScheduledFuture<?> timeout;

        Block(int db, byte[][] keys, byte[][] argv, Consumer<Reply> onTimeout) {
            this.db = db;
            this.keys = keys;
            this.argv = argv;
            this.onTimeout = onTimeout;
        }
    }


    private final Server server;
    private final Map<DbKey, ArrayDeque<Client>> waiting = new HashMap<>();
    private final ArrayDeque<DbKey> ready = new ArrayDeque<>();
    private final Set<DbKey> readySet = new HashSet<>();
    private int blockedCount;

    BlockedClients(Server server) {
        this.server = server;
    }

    /** INFO clients blocked_clients. */
    public int count() {
        return blockedCount;
    }

    /**
     * Blocks the calling client on {@code keys} (called by a command that found nothing).
     * {@code timeoutMs} 0 waits forever; {@code onTimeout} writes the reply sent when it expires.
     */
    public void block(CommandContext c, byte[][] keys, long timeoutMs, Consumer<Reply> onTimeout) {
        Client client = c.client();
        if (c.retrying()) {
            c.stillBlocked(true);
            return;
        }
        if (!c.mayBlock()) {
            // Inside MULTI/EXEC (and for internal clients such as scripts) a blocking command
            // never blocks: it answers as if its timeout had expired, as Redis does.
            onTimeout.accept(c.reply());
            return;
        }
        Block b = new Block(client.db(), keys, c.argv(), onTimeout);
        client.block = b;
        blockedCount++;
        for (byte[] k : keys) {
            waiting.computeIfAbsent(new DbKey(b.db, k), x -> new ArrayDeque<>()).addLast(client);
        }
        if (timeoutMs > 0 && client.channel() != null) {
            b.timeout = client.channel().eventLoop().schedule(() -> expire(client, b), timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /** A write made {@code key} possibly non-empty: retry its waiters after the current command. */
    public void signal(int db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        DbKey k = new DbKey(db, key);
        if (waiting.containsKey(k) && readySet.add(k)) {
            ready.addLast(k);
        }
    }

    /** Serves clients waiting on keys made ready since the last call (caller holds the lock). */
    void serveReady(Dispatcher dispatcher) {
        while (!ready.isEmpty()) {
            DbKey k = ready.pollFirst();
            readySet.remove(k);
            ArrayDeque<Client> queue = waiting.get(k);
            if (queue == null) {
                continue;
            }
            for (Client client : new ArrayList<>(queue)) {
                Block b = client.block;
                if (b == null || client.killed()) {
                    continue;
                }
                retry(dispatcher, client, b);
            }
        }
    }

    private void retry(Dispatcher dispatcher, Client client, Block b) {
        ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(64);
        Reply reply = new Reply(server.stats());
        reply.protocol(client.protocol());
        reply.target(out);
        CommandContext ctx = new CommandContext(server, client, reply);
        ctx.retrying(true);
        int db = client.db();
        client.db(b.db);
        try {
            dispatcher.execute(ctx, b.argv);
        } finally {
            client.db(db);
        }
        if (ctx.stillBlocked()) {
            out.release();
            return;
        }
        unblock(client);
        send(client, out);
    }

    /** A wait's timeout (on the client's event loop; while a script is busy it fires again shortly). */
    private void expire(Client client, Block b) {
        server.underLockFromEventLoop(client.channel().eventLoop(), () -> {
            if (client.block != b) {
                return;
            }
            unblock(client);
            ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(16);
            Reply reply = new Reply(server.stats());
            reply.protocol(client.protocol());
            reply.target(out);
            b.onTimeout.accept(reply);
            send(client, out);
        });
    }

    /** CLIENT UNBLOCK: ends the wait as a timeout would, or with an UNBLOCKED error. */
    public boolean unblockByRequest(Client client, boolean withError) {
        Block b = client.block;
        if (b == null) {
            return false;
        }
        unblock(client);
        ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(64);
        Reply reply = new Reply(server.stats());
        reply.protocol(client.protocol());
        reply.target(out);
        if (withError) {
            reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        } else {
            b.onTimeout.accept(reply);
        }
        send(client, out);
        return true;
    }

    /** Forgets a client's wait (disconnect, or served). */
    void unblock(Client client) {
        Block b = client.block;
        if (b == null) {
            return;
        }
        client.block = null;
        blockedCount--;
        if (b.timeout != null) {
            b.timeout.cancel(false);
        }
        for (byte[] key : b.keys) {
            DbKey k = new DbKey(b.db, key);
            ArrayDeque<Client> q = waiting.get(k);
            if (q != null) {
                q.remove(client);
                if (q.isEmpty()) {
                    waiting.remove(k);
                }
            }
        }
    }

    /** Sends a served client's reply and lets its event loop run what it pipelined after. */
    private void send(Client client, ByteBuf out) {
        server.beforeReplies(); // the write that served it is in the AOF (fsynced under always) before the reply leaves
        server.aof().syncWritten();
        if (client.channel() == null || !client.channel().isActive()) {
            out.release();
            return;
        }
        server.stats().wrote(out.readableBytes());
        client.channel().writeAndFlush(out, client.channel().voidPromise());
        if (client.resumer != null) {
            client.channel().eventLoop().execute(client.resumer);
        }
    }
}
