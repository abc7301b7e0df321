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
            for (Client c : new ArrayList<>(direct)) {
                deliver(c, publisher, publisherReply, r -> {
                    r.push(3);
                    r.bulk(shard ? "smessage" : "message");
                    r.bulk(channel);
                    r.bulk(message);
                });
                receivers++;
            }
        }
        if (!shard) {
            for (Map.Entry<ByteKey, Set<Client>> e : new ArrayList<>(patterns.entrySet())) {
                byte[] pattern = e.getKey().bytes();
                if (!Glob.matches(pattern, channel)) {
                    continue;
                }
                for (Client c : new ArrayList<>(e.getValue())) {
                    deliver(c, publisher, publisherReply, r -> {
                        r.push(4);
                        r.bulk("pmessage");
                        r.bulk(pattern);
                        r.bulk(channel);
                        r.bulk(message);
                    });
                    receivers++;
                }
            }
        }
        return receivers;
    }

    /** Also used by {@link Tracking} for invalidation messages. */
    void deliver(Client to, Client publisher, Reply publisherReply, java.util.function.Consumer<Reply> message) {
        if (to == publisher && publisherReply != null) {
            message.accept(publisherReply);
            return;
        }
        if (to.channel() == null || !to.channel().isActive() || to.killed()) {
            return;
        }
        ByteBuf buf = ByteBufAllocator.DEFAULT.ioBuffer(64);
        Reply r = new Reply(server.stats());
        r.protocol(to.protocol());
        r.target(buf);
        message.accept(r);
        OutputLimits.Verdict v = server.outputLimits().charge(to, buf.readableBytes(), OutputLimits.Class.PUBSUB);
        if (v != OutputLimits.Verdict.OK) {
            buf.release();
            Log.warning("Client id=" + to.id() + " addr=" + to.address()
                    + " scheduled to be closed ASAP for overcoming of output buffer limits.");
            to.kill();
            return;
        }
        int size = buf.readableBytes();
        server.stats().netOutputBytes.add(size);
        to.channel().writeAndFlush(buf).addListener(f -> server.outputLimits().written(to, size));
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
}
