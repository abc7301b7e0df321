package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs scripts that may run long (see {@link dev.keydb.server.command.CommandContext#moveToScriptThread})
 * on a thread of their own, so that the event loop of their caller stays free: while such a
 * script runs past busy-reply-threshold, every connection (those on the caller's own event loop
 * included) is answered -BUSY and can SCRIPT KILL, as Redis answers clients from
 * processEventsWhileBlocked. Short scripts run where they were called, on the event loop: a
 * hand-off costs two thread wake-ups, more than a short script on a 2-core machine.
 *
 * <p>The caller waits like a blocked client: its event loop hands it off (under the lock) with
 * the script command and everything it pipelined after it in {@link Client#held}, and leaves
 * what it sends meanwhile unparsed in its query buffer. This thread takes the lock, runs the
 * held commands in order (a held command that blocks or is paused stays held, as on the event
 * loop), and gives the replies back to the client's event loop, which writes them and goes on
 * reading. Clients queued while a script ran are served in one lock acquisition.
 */
final class ScriptThread {
    private final Server server;
    private final ConcurrentLinkedQueue<CommandContext> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean stopped;

    ScriptThread(Server server) {
        this.server = server;
        this.thread = new Thread(null, this::loop, "keydb-script", NetworkServer.COMMAND_STACK_BYTES);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    Thread thread() {
        return thread;
    }

    /** Whether the calling thread is this one. */
    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /**
     * Hands the client over (its event loop, under the lock): the command at the head of
     * {@link Client#held} and those after it will run here; the client is not read until they
     * did. The event loop {@link #enqueue}s it once it has sent the replies before them.
     */
    void handOff(CommandContext ctx) {
        // Reading goes on, as Redis reads a busy client: later input waits in the query buffer.
        ctx.client().scriptPending = true;
    }

    /** Starts a handed-off client's commands (its event loop, without the lock, done with its reply). */
    void enqueue(CommandContext ctx) {
        queue.add(ctx);
        LockSupport.unpark(thread);
    }

    /**
     * Called by a busy script's count hook, on the thread that runs it and holds the lock:
     * answers the clients waiting in the queue as Redis answers clients while a script is busy
     * (allow_busy commands run, the rest get -BUSY), so WATCH and friends need not wait for the
     * script to end. What is queued when the script ends runs normally on this thread.
     */
    void serveWhileBusy(BusyScriptReplies busy) {
        CommandContext ctx;
        while ((ctx = queue.poll()) != null) {
            Client client = ctx.client();
            ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(64);
            client.reply().target(out);
            try {
                busy.answerHeld(ctx);
            } finally {
                client.reply().target(null);
            }
            client.channel().eventLoop().execute(() -> client.scriptDone.accept(out));
        }
    }

    private void loop() {
        List<CommandContext> jobs = new ArrayList<>();
        List<ByteBuf> replies = new ArrayList<>();
        while (!stopped) {
            CommandContext job;
            while ((job = queue.poll()) != null) {
                jobs.add(job);
            }
            if (jobs.isEmpty()) {
                LockSupport.park(this);
                continue;
            }
            runAll(jobs, replies);
            for (int i = 0; i < jobs.size(); i++) {
                Client client = jobs.get(i).client();
                ByteBuf out = replies.get(i);
                client.channel().eventLoop().execute(() -> client.scriptDone.accept(out));
            }
            jobs.clear();
            replies.clear();
        }
    }

    /** Runs each client's handed-off commands under one acquisition of the lock. */
    private void runAll(List<CommandContext> jobs, List<ByteBuf> replies) {
        server.lock().lock();
        try {
            for (CommandContext ctx : jobs) {
                ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(256);
                replies.add(out);
                Client client = ctx.client();
                client.reply().target(out);
                try {
                    server.runHandedOff(ctx);
                } catch (RuntimeException | StackOverflowError e) {
                    // Never lose the thread: every later script would wait forever.
                    Log.warning("Script command failed on the script thread: " + e);
                    client.held.clear();
                    ctx.reply().error("ERR internal error while running a script: " + e.getClass().getSimpleName());
                } finally {
                    client.reply().target(null);
                }
            }
        } finally {
            server.beforeReplies();
            server.lock().unlock();
        }
    }
}
