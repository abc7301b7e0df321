package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.resp.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's pipeline stage: accumulates input, parses every complete command in it,
 * runs the whole batch under one acquisition of the keyspace lock (KeyDB's model: the lock is
 * taken once per read cycle, not once per command) and writes the batch's replies with one
 * flush. Malformed input gets Redis's protocol error and the connection is closed after it.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final byte[] MAX_CLIENTS = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);
    static final String PROTECTED_MODE_MESSAGE = "-DENIED Redis is running in protected mode because protected "
            + "mode is enabled and no password is set for the default user. In this mode "
            + "connections are only accepted from the loopback interface. If you want to connect "
            + "from external computers to Redis you may adopt one of the following solutions: "
            + "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' "
            + "from the loopback interface by connecting to Redis from the same host the server is "
            + "running, however MAKE SURE Redis is not publicly accessible from internet if you do "
            + "so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just "
            + "disable the protected mode by editing the Redis configuration file, and setting the "
            + "protected mode option to 'no', and then restarting the server. 3) If you started the "
            + "server manually just for testing, restart it with the '--protected-mode no' option. "
            + "4) Set up an authentication password for the default user. NOTE: You only need to do "
            + "one of the above things in order for the server to start accepting connections from "
            + "the outside.\r\n";

    private final Server server;
    private Client client;
    private CommandContext context;
    private ByteBuf input;
    private final List<byte[][]> batch = new ArrayList<>();
    /** Malformed input that followed a script command: answered once the script's reply is out. */
    private String deferredProtocolError;

    ClientHandler(Server server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        server.stats().connectionsReceived.incrementAndGet();
        client = new Client(server.clients().nextId(), ctx.channel(), server.stats(), System.currentTimeMillis());
        client.authenticated(server.config().requirepass.isEmpty());
        context = new CommandContext(server, client);
        client.resumer = () -> resumeHeld(ctx);
        client.scriptDone = out -> scriptDone(ctx, out);
        if (server.clients().count() >= server.config().maxclients) {
            server.stats().rejectedConnections.incrementAndGet();
            rejectAndClose(ctx, MAX_CLIENTS);
            return;
        }
        if (deniedByProtectedMode(server.config().protectedMode, server.config().requirepass, client.isLocal())) {
            server.stats().rejectedConnections.incrementAndGet();
            rejectAndClose(ctx, PROTECTED_MODE_MESSAGE.getBytes(StandardCharsets.US_ASCII));
            return;
        }
        server.clients().add(client);
        ctx.fireChannelActive();
    }

    /** Redis refuses non-loopback peers while protected mode is on and no password is set. */
    static boolean deniedByProtectedMode(boolean protectedMode, String requirepass, boolean local) {
        return protectedMode && requirepass.isEmpty() && !local;
    }

    private void rejectAndClose(ChannelHandlerContext ctx, byte[] message) {
        client.kill();
        ctx.writeAndFlush(ctx.alloc().buffer(message.length).writeBytes(message)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (client != null) {
            server.clients().remove(client);
            server.outputLimits().forget(client);
            server.pubsub().discardPending(client);
            if (client.blocked() || client.inSubscribedMode() || client.tracking() != null) {
                server.underLockFromEventLoop(ctx.executor(), () -> {
                    server.blockedClients().unblock(client);
                    server.pubsub().unsubscribeAll(client);
                    server.tracking().disable(client);
                });
            }
        }
        if (input != null) {
            input.release();
            input = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (client.killed()) {
            in.release();
            return;
        }
        server.stats().read(in.readableBytes());
        client.lastInteractionMs = System.currentTimeMillis();
        accumulate(ctx, in);
        if (client.scriptPending) {
            // Its script runs on the script thread: what it sent since waits unparsed (bounded by
            // the query buffer limit), as Redis leaves a busy client's input in its query buffer.
            if (input.readableBytes() > server.config().clientQueryBufferLimit) {
                closeForQueryBufferLimit();
            }
            return;
        }
        processInput(ctx);
    }

    /** Parses every complete command in the input, runs them as one batch and sends the replies. */
    private void processInput(ChannelHandlerContext ctx) {
        if (input == null) {
            return;
        }
        client.parser.setMaxBulkLen(server.config().protoMaxBulkLen);
        String protocolError = null;
        try {
            byte[][] argv;
            while ((argv = client.parser.next(input)) != null) {
                if (argv.length > 0) {
                    batch.add(argv);
                }
            }
        } catch (ProtocolException e) {
            protocolError = e.getMessage();
        }
        if (protocolError == null && input.readableBytes() > server.config().clientQueryBufferLimit) {
            closeForQueryBufferLimit();
            batch.clear();
            return;
        }
        client.queryBufferBytes = input.readableBytes();
        ByteBuf out = ctx.alloc().ioBuffer(256);
        client.reply().target(out);
        if (!batch.isEmpty()) {
            server.executeBatch(context, batch);
            batch.clear();
        }
        if (protocolError != null) {
            input.clear();
            if (client.scriptPending) {
                deferredProtocolError = protocolError; // answered after the script's reply
            } else {
                answerProtocolError(protocolError);
            }
        }
        client.reply().target(null);
        compactInput();
        sendReplies(ctx, out);
        handToScriptThreadIfPending();
    }

    /** Redis stops reading a client's input at QUIT, so malformed input after it is never seen. */
    private void answerProtocolError(String protocolError) {
        if (!client.isCloseAfterReply()) {
            client.reply().error("ERR Protocol error: " + protocolError); // counted once, by the reply
            Log.verbose("Protocol error (" + protocolError + ") from client: id=" + client.id() + " addr=" + client.address());
            client.closeAfterReply();
        }
    }

    /**
     * A command of the batch just run was handed to the script thread: it may start only now,
     * once this event loop no longer writes to the client's reply.
     */
    private void handToScriptThreadIfPending() {
        if (client.scriptPending) {
            server.scriptThread().enqueue(context);
        }
    }

    private void closeForQueryBufferLimit() {
        server.stats().clientQueryBufferLimitDisconnections.incrementAndGet();
        Log.warning("Closing client that reached max query buffer length: id=" + client.id()
                + " addr=" + client.address() + " qbuf=" + input.readableBytes());
        client.kill();
    }

    /**
     * The script thread ran this client's script command and what it had pipelined after it:
     * sends the replies, then reads on, running first what arrived meanwhile.
     */
    private void scriptDone(ChannelHandlerContext ctx, ByteBuf out) {
        client.scriptPending = false;
        if (client.killed() || !ctx.channel().isActive()) {
            out.release();
            return;
        }
        if (deferredProtocolError != null) {
            client.reply().target(out);
            answerProtocolError(deferredProtocolError);
            client.reply().target(null);
            deferredProtocolError = null;
        }
        sendReplies(ctx, out);
        if (client.paused() || client.blocked() || client.isCloseAfterReply()) {
            return; // a held command waits for its pause to end or its keys; that resumes it
        }
        processInput(ctx);
        if (!client.scriptPending && !client.paused() && !client.blocked() && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Flushes now, or after the fsync when AOF writes wait for it (or earlier replies of this loop already wait). */
    private void sendReplies(ChannelHandlerContext ctx, ByteBuf out) {
        if (server.aof().syncPending() || !AWAITING_FSYNC.get().isEmpty()) {
            deferUntilSynced(ctx, out);
        } else {
            flush(ctx, out);
        }
    }

    /**
     * Replies of batches that wrote to the AOF under appendfsync always, per event loop: they go
     * out after one fsync at the end of the loop's current pass, which covers every client read
     * in that pass (Redis's fsync in beforeSleep), and never before it.
     */
    private static final io.netty.util.concurrent.FastThreadLocal<List<Runnable>> AWAITING_FSYNC =
            new io.netty.util.concurrent.FastThreadLocal<>() {
                @Override
                protected List<Runnable> initialValue() {
                    return new ArrayList<>();
                }
            };

    private void deferUntilSynced(ChannelHandlerContext ctx, ByteBuf out) {
        List<Runnable> waiting = AWAITING_FSYNC.get();
        waiting.add(() -> flush(ctx, out));
        if (waiting.size() == 1) {
            ctx.executor().execute(() -> {
                server.aof().syncWritten();
                List<Runnable> ready = new ArrayList<>(waiting);
                waiting.clear();
                for (Runnable r : ready) {
                    r.run();
                }
            });
        }
    }

    private void flush(ChannelHandlerContext ctx, ByteBuf out) {
        if (out.isReadable()) {
            server.stats().wrote(out.readableBytes());
            if (client.isCloseAfterReply()) {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                client.kill();
            } else {
                ctx.writeAndFlush(out, ctx.voidPromise());
            }
        } else {
            out.release();
            if (client.isCloseAfterReply()) {
                client.kill();
            }
        }
        // A client that does not read its replies stops being read from, instead of growing memory.
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** CLIENT PAUSE ended (or may have): run the held commands, flush, and read again once none is left. */
    private void resumeHeld(ChannelHandlerContext ctx) {
        if (client.killed() || !ctx.channel().isActive() || client.scriptPending) {
            return; // a client handed to the script thread is resumed by scriptDone
        }
        ByteBuf out = ctx.alloc().ioBuffer(256);
        client.reply().target(out);
        if (!server.resumeHeld(context)) {
            // A script is busy: its held commands wait (never this event loop) and are tried again.
            client.reply().target(null);
            out.release();
            ctx.executor().schedule(client.resumer, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
            return;
        }
        client.reply().target(null);
        sendReplies(ctx, out);
        handToScriptThreadIfPending();
        if (!client.paused() && !client.blocked() && !client.scriptPending) {
            processInput(ctx); // what arrived while a script of this client ran waits unparsed
        }
        if (!client.paused() && !client.blocked() && !client.scriptPending && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // A client held by CLIENT PAUSE stays unread until its held commands have run.
        if (ctx.channel().isWritable() && !client.paused() && !client.blocked() && !client.scriptPending) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void accumulate(ChannelHandlerContext ctx, ByteBuf in) {
        if (input == null) {
            input = in;
            return;
        }
        if (input.writableBytes() < in.readableBytes()) {
            ByteBuf bigger = ctx.alloc().ioBuffer(Math.max(input.readableBytes() + in.readableBytes(), input.capacity() * 2));
            bigger.writeBytes(input);
            input.release();
            input = bigger;
        }
        input.writeBytes(in);
        in.release();
    }

    private void compactInput() {
        if (!input.isReadable()) {
            input.release();
            input = null;
        } else {
            input.discardSomeReadBytes();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Log.verbose("Client " + (client == null ? "?" : client.address()) + " closed: " + cause.getMessage());
        ctx.close();
    }
}
