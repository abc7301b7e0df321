package dev.keydb.server;

import dev.keydb.server.resp.Reply;
import dev.keydb.server.resp.RequestParser;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * The state of one client connection: identity, selected database, protocol version,
 * authentication and the flags CLIENT LIST shows. Touched by its own event loop and, under
 * the keyspace lock, by commands (CLIENT KILL, CLIENT LIST from other connections).
 */
public final class Client {
    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP, SKIP_NEXT }

    private final long id;
    private final Channel channel;
    private final long createdMs;
    final RequestParser parser = new RequestParser();
    final Reply reply;

    volatile String name = "";
    volatile String libName = "";
    volatile String libVer = "";
    volatile int db;
    volatile boolean authenticated;
    volatile long lastInteractionMs;
    volatile String lastCommand = "NULL";
    volatile ReplyMode replyMode = ReplyMode.ON;
    volatile boolean noEvict;
    volatile boolean closeAfterReply;
    volatile boolean killed;
    volatile long queryBufferBytes;
    volatile long outputBufferBytes;

    /*
     * CLIENT PAUSE: commands parsed but not run because a pause holds them, in arrival order.
     * Mutated only on this client's event loop under the keyspace lock; read by CLIENT LIST
     * and CLIENT UNPAUSE under the lock. While non-empty the channel is not read from.
     */
    final ArrayDeque<byte[][]> held = new ArrayDeque<>();

    /*
     * Messages pushed to this client by other clients' commands (Pub/Sub, invalidations) and not
     * yet written: they accumulate here so that one socket write carries every message that
     * arrived while this client's event loop was busy, as Redis's output buffer does. Guarded by
     * pushLock (appended under the keyspace lock, drained by this client's event loop).
     */
    final Object pushLock = new Object();
    io.netty.buffer.ByteBuf pendingPushes;
    boolean pushFlushScheduled;
    /** Runs the held commands on this client's event loop (set by the connection handler). */
    Runnable resumer;
    /** A resume at the pause deadline is already scheduled (event-loop confined). */
    boolean resumeScheduled;
    /*
     * The client's script command (and what it pipelined after) runs on the script thread: set
     * by its event loop at the hand-off and cleared there when the replies came back, so while
     * it is set the event loop neither reads this client's input nor touches its reply.
     */
    volatile boolean scriptPending;
    /** Writes the replies of a hand-off to the script thread and goes on reading (on the event loop). */
    java.util.function.Consumer<io.netty.buffer.ByteBuf> scriptDone;

    Client(long id, Channel channel, Reply.ErrorSink errors, long now) {
        this.id = id;
        this.channel = channel;
        this.createdMs = now;
        this.lastInteractionMs = now;
        this.reply = new Reply(errors);
    }

    public long id() { return id; }
    public Channel channel() { return channel; }
    public long createdMs() { return createdMs; }
    public String name() { return name; }
    public void name(String n) { name = n; }
    public String libName() { return libName; }
    public void libName(String n) { libName = n; }
    public String libVer() { return libVer; }
    public void libVer(String v) { libVer = v; }
    public int db() { return db; }
    public void db(int index) { db = index; }
    public boolean authenticated() { return authenticated; }
    public void authenticated(boolean a) {
        authenticated = a;
        parser.setAuthenticated(a);
    }
    public int protocol() { return reply.protocol(); }
    public void protocol(int v) { reply.protocol(v); }
    public long lastInteractionMs() { return lastInteractionMs; }
    public String lastCommand() { return lastCommand; }
    public ReplyMode replyMode() { return replyMode; }
    public void replyMode(ReplyMode m) { replyMode = m; }
    public boolean noEvict() { return noEvict; }
    public void noEvict(boolean v) { noEvict = v; }
    public Reply reply() { return reply; }
    /** Bytes of unparsed input held for this client (INFO client_recent_max_input_buffer). */
    public long queryBufferBytes() { return queryBufferBytes; }
    /** Bytes of replies held for this client (INFO client_recent_max_output_buffer). */
    public long outputBufferBytes() { return outputBufferBytes; }
    /** Query and output buffers together: what the client costs in memory (used_memory, client eviction). */
    public long bufferBytes() { return queryBufferBytes + outputBufferBytes; }
    /** Whether CLIENT PAUSE is holding commands of this client (CLIENT LIST flag 'b'). */
    public boolean paused() { return !held.isEmpty(); }

    private final java.util.Map<PubSub.Kind, java.util.Set<ByteKey>> subscriptions = new java.util.EnumMap<>(PubSub.Kind.class);

    /** This client's subscriptions of one kind (mutated only by {@link PubSub}, under the lock). */
    java.util.Set<ByteKey> subscriptions(PubSub.Kind kind) {
        return subscriptions.computeIfAbsent(kind, k -> new java.util.LinkedHashSet<>());
    }

    /** A copy of this client's subscriptions of one kind. */
    public java.util.List<ByteKey> subscriptionNames(PubSub.Kind kind) {
        return new java.util.ArrayList<>(subscriptions(kind));
    }

    /** Number of subscriptions of a kind (CLIENT LIST sub/psub/ssub, subscribe replies). */
    public int subscriptionCount(PubSub.Kind kind) {
        java.util.Set<ByteKey> s = subscriptions.get(kind);
        return s == null ? 0 : s.size();
    }

    /** In RESP2 "subscribed mode" only (un)subscribe, PING, QUIT and RESET are allowed. */
    public boolean inSubscribedMode() {
        return subscriptionCount(PubSub.Kind.CHANNEL) + subscriptionCount(PubSub.Kind.PATTERN)
                + subscriptionCount(PubSub.Kind.SHARD) > 0;
    }

    /** The open MULTI, or null. */
    private Transaction multi;
    /** Keys this client WATCHes, and whether one of them was touched since. */
    private final java.util.List<Watches.Watched> watched = new java.util.ArrayList<>();
    volatile boolean watchDirty;
    /** Set while EXEC runs the queued commands (blocking commands then do not block). */
    boolean executingMulti;

    public boolean inMulti() { return multi != null; }
    public Transaction multi() { return multi; }
    void beginMulti() { multi = new Transaction(); }
    Transaction endMulti() {
        Transaction t = multi;
        multi = null;
        return t;
    }
    java.util.List<Watches.Watched> watched() { return watched; }
    public int watchedCount() { return watched.size(); }
    public boolean executingMulti() { return executingMulti; }

    /** The wait of a client blocked by BLPOP and friends, null when not blocked. */
    volatile BlockedClients.Block block;

    public boolean blocked() { return block != null; }

    /** CLIENT TRACKING state, null while tracking is off (mutated only by {@link Tracking}, under the lock). */
    volatile Tracking.State tracking;

    public Tracking.State tracking() { return tracking; }

    /** Ask the connection to close once the replies produced so far are written (QUIT, protocol errors). */
    public void closeAfterReply() { closeAfterReply = true; }

    public boolean isCloseAfterReply() { return closeAfterReply; }

    /** CLIENT KILL: close as soon as possible, from any thread. */
    public void kill() {
        killed = true;
        if (channel != null) {
            channel.close();
        }
    }

    public boolean killed() { return killed; }

    public String address() {
        return format(channel == null ? null : channel.remoteAddress());
    }

    public String localAddress() {
        return format(channel == null ? null : channel.localAddress());
    }

    /** Whether the peer connects from the loopback interface (protected mode, enable-debug-command local). */
    public boolean isLocal() {
        if (channel == null) {
            return true;
        }
        SocketAddress a = channel.remoteAddress();
        if (a instanceof InetSocketAddress isa) {
            return isa.getAddress() == null || isa.getAddress().isLoopbackAddress();
        }
        return true; // unix socket
    }

    private static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress isa) {
            String host = isa.getAddress() != null ? isa.getAddress().getHostAddress() : isa.getHostString();
            if (host.indexOf(':') >= 0) {
                // Redis prints IPv6 peers as [addr]:port with the compressed address.
                host = host.replaceAll("((?::0\\b){2,}):?(?!\\S*\\b\\1:0\\b)(\\S*)", "::$2").replaceFirst("^0::", "::");
                int pct = host.indexOf('%');
                if (pct >= 0) {
                    host = host.substring(0, pct);
                }
                return "[" + host + "]:" + isa.getPort();
            }
            return host + ":" + isa.getPort();
        }
        return a == null ? "" : a.toString();
    }
}
