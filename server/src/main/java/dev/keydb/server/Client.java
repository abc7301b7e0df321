package dev.keydb.server;

import dev.keydb.server.resp.Reply;
import dev.keydb.server.resp.RequestParser;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

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
