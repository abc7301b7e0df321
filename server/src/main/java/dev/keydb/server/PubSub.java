package dev.keydb.server;

import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Glob;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels, patterns and shard channels with their subscribers (Redis's pubsub.c). All
 * methods run under the keyspace lock. Messages to other clients are written to their
 * channels directly; a message to the publishing client itself goes into its current reply
 * buffer so that it keeps its place among the replies of its pipeline, as in Redis.
 */
public final class PubSub {

    /** The three namespaces; a client's subscriptions in each are kept on the client. */
    public enum Kind { CHANNEL, PATTERN, SHARD }

    private final Server server;
    private final Map<ByteKey, Set<Client>> channels = new HashMap<>();
    private final Map<ByteKey, Set<Client>> patterns = new HashMap<>();
    private final Map<ByteKey, Set<Client>> shards = new HashMap<>();

    PubSub(Server server) {
        this.server = server;
    }

    private Map<ByteKey, Set<Client>> map(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shards;
        };
    }

    /** Subscribes; returns false when the client already was. */
    public boolean subscribe(Client c, Kind kind, ByteKey name) {
        if (!c.subscriptions(kind).add(name)) {
            return false;
        }
        map(kind).computeIfAbsent(name, k -> new LinkedHashSet<>()).add(c);
        return true;
    }

    /** Unsubscribes; returns false when the client was not subscribed. */
    public boolean unsubscribe(Client c, Kind kind, ByteKey name) {
        if (!c.subscriptions(kind).remove(name)) {
            return false;
        }
        Map<ByteKey, Set<Client>> m = map(kind);
        Set<Client> subs = m.get(name);
        if (subs != null) {
            subs.remove(c);
            if (subs.isEmpty()) {
                m.remove(name);
            }
        }
        return true;
    }

    /** Drops every subscription of a client (disconnect, RESET). */
    public void unsubscribeAll(Client c) {
        for (Kind k : Kind.values()) {
            for (ByteKey n : new ArrayList<>(c.subscriptions(k))) {
                unsubscribe(c, k, n);
            }
        }
    }

    /**
     * Delivers a message to the channel's subscribers and to clients whose patterns match
     * (or, for SPUBLISH, to the shard channel's subscribers). Returns the number of receivers.
     */
    public long publish(Client publisher, Reply publisherReply, byte[] channel, byte[] message, boolean shard) {
        long receivers = 0;
        ByteKey name = new ByteKey(channel);
        Set<Client> direct = (shard ? shards : channels).get(name);
        if (direct != null) {
            Rendered m = new Rendered(r -> {
                r.push(3);
                r.bulk(shard ? "smessage" : "message");
                r.bulk(channel);
                r.bulk(message);
            });
            for (Client c : new ArrayList<>(direct)) {
                deliver(c, publisher, publisherReply, m);
                receivers++;
            }
        }
        if (!shard) {
            for (Map.Entry<ByteKey, Set<Client>> e : new ArrayList<>(patterns.entrySet())) {
                byte[] pattern = e.getKey().bytes();
                if (!Glob.matches(pattern, channel)) {
                    continue;
                }
                Rendered m = new Rendered(r -> {
                    r.push(4);
                    r.bulk("pmessage");
                    r.bulk(pattern);
                    r.bulk(channel);
                    r.bulk(message);
                });
                for (Client c : new ArrayList<>(e.getValue())) {
                    deliver(c, publisher, publisherReply, m);
                    receivers++;
                }
            }
        }
        return receivers;
    }

    /**
     * A message rendered at most once per protocol version and shared by all its receivers
     * (a PUBLISH to 100 RESP2 subscribers encodes once, not 100 times).
     */
    final class Rendered {
        private final java.util.function.Consumer<Reply> writer;
        private final byte[][] byProtocol = new byte[4][];

        Rendered(java.util.function.Consumer<Reply> writer) {
            this.writer = writer;
        }

        byte[] bytes(int protocol) {
            byte[] b = byProtocol[protocol];
            if (b == null) {
                ByteBuf buf = io.netty.buffer.Unpooled.buffer(64);
                Reply r = new Reply(server.stats());
                r.protocol(protocol);
                r.target(buf);
                writer.accept(r);
                b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                byProtocol[protocol] = b;
            }
            return b;
        }

        void writeTo(Reply r) {
            writer.accept(r);
        }
    }

    /** Also used by {@link Tracking} for invalidation messages. */
    void deliver(Client to, Client publisher, Reply publisherReply, java.util.function.Consumer<Reply> message) {
        deliver(to, publisher, publisherReply, new Rendered(message));
    }

    private void deliver(Client to, Client publisher, Reply publisherReply, Rendered message) {
        if (to == publisher && publisherReply != null) {
            message.writeTo(publisherReply);
            return;
        }
        if (to.channel() == null || !to.channel().isActive() || to.killed()) {
            return;
        }
        byte[] bytes = message.bytes(to.protocol());
        OutputLimits.Verdict v = server.outputLimits().charge(to, bytes.length, dev.keydb.server.config.ClientOutputBufferLimits.Class.PUBSUB);
        if (v != OutputLimits.Verdict.OK) {
            Log.warning("Client id=" + to.id() + " addr=" + to.address()
                    + " scheduled to be closed ASAP for overcoming of output buffer limits.");
            to.kill();
            return;
        }
        enqueue(to, bytes);
    }

    /**
     * Appends a message to the client's pending pushes and, if none is scheduled, schedules one
     * write on the client's event loop: messages published while that loop is busy leave in a
     * single write instead of one write (and one cross-thread task) each.
     */
    private void enqueue(Client to, byte[] message) {
        boolean schedule;
        synchronized (to.pushLock) {
            if (to.pendingPushes == null) {
                to.pendingPushes = ByteBufAllocator.DEFAULT.ioBuffer(Math.max(256, message.length));
            }
            to.pendingPushes.writeBytes(message);
            schedule = !to.pushFlushScheduled;
            to.pushFlushScheduled = true;
        }
        if (schedule) {
            to.channel().eventLoop().execute(() -> flushPending(to));
        }
    }

    /** Writes the client's pending pushes (on its event loop). */
    private void flushPending(Client to) {
        ByteBuf pending;
        synchronized (to.pushLock) {
            pending = to.pendingPushes;
            to.pendingPushes = null;
            to.pushFlushScheduled = false;
        }
        if (pending == null) {
            return;
        }
        if (!to.channel().isActive()) {
            pending.release();
            return;
        }
        int size = pending.readableBytes();
        server.stats().wrote(size);
        to.channel().writeAndFlush(pending).addListener(f -> server.outputLimits().written(to, size));
    }

    /**
     * Moves the client's pending pushes in front of the replies it is about to get, so that a
     * message published before one of its commands ran is received before that command's reply.
     */
    void drainPendingInto(Client c, ByteBuf out) {
        synchronized (c.pushLock) {
            if (c.pendingPushes == null) {
                return;
            }
            int size = c.pendingPushes.readableBytes();
            out.writeBytes(c.pendingPushes);
            c.pendingPushes.release();
            c.pendingPushes = null;
            server.outputLimits().written(c, size);
        }
    }

    /** Frees what a disconnected client never received. */
    void discardPending(Client c) {
        synchronized (c.pushLock) {
            if (c.pendingPushes != null) {
                c.pendingPushes.release();
                c.pendingPushes = null;
            }
        }
    }
    /** Active channels (or shard channels) matching an optional pattern (PUBSUB CHANNELS). */
    public List<byte[]> activeChannels(byte[] pattern, boolean shard) {
        List<byte[]> out = new ArrayList<>();
        for (ByteKey n : (shard ? shards : channels).keySet()) {
            if (pattern == null || Glob.matches(pattern, n.bytes())) {
                out.add(n.bytes());
            }
        }
        return out;
    }

    public int subscriberCount(byte[] channel, boolean shard) {
        Set<Client> s = (shard ? shards : channels).get(new ByteKey(channel));
        return s == null ? 0 : s.size();
    }

    public int patternCount() {
        return patterns.size();
    }

    public int channelCount() {
        return channels.size();
    }

    public int shardChannelCount() {
        return shards.size();
    }
}
