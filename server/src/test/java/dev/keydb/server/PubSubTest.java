package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pub/Sub over the wire: delivery in RESP2 and RESP3, patterns, shard channels and slow subscribers. */
class PubSubTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void messagesReachChannelAndPatternSubscribers() throws Exception {
        try (RawConnection sub = new RawConnection(server.port()); RawConnection psub = new RawConnection(server.port());
             RawConnection pub = new RawConnection(server.port())) {
            assertThat(sub.call("SUBSCRIBE", "news.tech")).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$9\r\nnews.tech\r\n:1\r\n");
            assertThat(psub.call("PSUBSCRIBE", "news.*")).isEqualTo("*3\r\n$10\r\npsubscribe\r\n$6\r\nnews.*\r\n:1\r\n");
            assertThat(pub.call("PUBLISH", "news.tech", "hi")).isEqualTo(":2\r\n");
            assertThat(sub.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$9\r\nnews.tech\r\n$2\r\nhi\r\n");
            assertThat(psub.readReply()).isEqualTo("*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$9\r\nnews.tech\r\n$2\r\nhi\r\n");
            assertThat(pub.call("PUBLISH", "other", "x")).isEqualTo(":0\r\n");
            assertThat(pub.call("PUBSUB", "NUMSUB", "news.tech", "other")).isEqualTo("*4\r\n$9\r\nnews.tech\r\n:1\r\n$5\r\nother\r\n:0\r\n");
            assertThat(pub.call("PUBSUB", "NUMPAT")).isEqualTo(":1\r\n");
            assertThat(sub.call("GET", "k")).startsWith("-ERR Can't execute 'get'");
            assertThat(sub.call("UNSUBSCRIBE")).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$9\r\nnews.tech\r\n:0\r\n");
            assertThat(sub.call("GET", "k")).isEqualTo("$-1\r\n");
        }
    }

    @Test
    void resp3SubscribersGetPushesAndMayRunCommands() throws Exception {
        try (RawConnection sub = new RawConnection(server.port()); RawConnection pub = new RawConnection(server.port())) {
            assertThat(sub.call("HELLO", "3")).startsWith("%7");
            assertThat(sub.call("SUBSCRIBE", "c")).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n");
            assertThat(sub.call("SET", "k", "v")).isEqualTo("+OK\r\n");
            assertThat(pub.call("PUBLISH", "c", "m")).isEqualTo(":1\r\n");
            assertThat(sub.readReply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n");
            // A subscriber publishing to itself: the push keeps its place before PUBLISH's own reply.
            sub.command("PUBLISH", "c", "self");
            assertThat(sub.readReply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$4\r\nself\r\n");
            assertThat(sub.readReply()).isEqualTo(":1\r\n");
        }
    }

    @Test
    void shardChannelsAreSeparateFromChannels() throws Exception {
        try (RawConnection sub = new RawConnection(server.port()); RawConnection pub = new RawConnection(server.port())) {
            assertThat(sub.call("SSUBSCRIBE", "s")).isEqualTo("*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
            assertThat(pub.call("PUBLISH", "s", "x")).isEqualTo(":0\r\n");
            assertThat(pub.call("SPUBLISH", "s", "y")).isEqualTo(":1\r\n");
            assertThat(sub.readReply()).isEqualTo("*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\ny\r\n");
            assertThat(pub.call("PUBSUB", "SHARDCHANNELS")).isEqualTo("*1\r\n$1\r\ns\r\n");
            assertThat(pub.call("INFO", "stats")).contains("\r\npubsubshard_channels:1\r\n");
        }
    }

    @Test
    void infoCountsChannelsAndPatterns() throws Exception {
        try (RawConnection sub = new RawConnection(server.port()); RawConnection other = new RawConnection(server.port())) {
            sub.call("SUBSCRIBE", "info-a", "info-b");
            sub.readReply(); // the second channel's confirmation
            assertThat(sub.call("PSUBSCRIBE", "info-*")).contains("psubscribe");
            String stats = other.call("INFO", "stats");
            assertThat(stats).containsPattern("\r\npubsub_channels:[2-9]\\d*\r\n").containsPattern("\r\npubsub_patterns:[1-9]\\d*\r\n");
        }
    }

    @Test
    void disconnectRemovesSubscriptions() throws Exception {
        try (RawConnection pub = new RawConnection(server.port())) {
            RawConnection sub = new RawConnection(server.port());
            sub.call("SUBSCRIBE", "gone");
            sub.close();
            assertThat(waitFor(() -> pub.call("PUBSUB", "NUMSUB", "gone").endsWith(":0\r\n"))).isTrue();
        }
    }

    @Test
    void subscriberThatStopsReadingIsCutAtTheOutputLimit() throws Exception {
        try (RawConnection sub = new RawConnection(server.port()); RawConnection pub = new RawConnection(server.port())) {
            String before = pub.call("CONFIG", "GET", "client-output-buffer-limit").split("\r\n")[4];
            assertThat(before).isEqualTo("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
            assertThat(pub.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0")).isEqualTo("+OK\r\n");
            sub.call("SUBSCRIBE", "firehose");
            String payload = "x".repeat(4096);
            long delivered = Long.MAX_VALUE;
            // Bounded: at most 64 MB offered; the kernel buffers a few MB, then the limit cuts in.
            for (int i = 0; i < 16_384 && delivered > 0; i++) {
                delivered = Long.parseLong(pub.call("PUBLISH", "firehose", payload).trim().substring(1));
            }
            assertThat(delivered).as("subscriber dropped from the channel").isZero();
            assertThat(pub.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(pub.call("PUBSUB", "NUMSUB", "firehose")).endsWith(":0\r\n");
            assertThat(pub.call("CONFIG", "SET", "client-output-buffer-limit", before)).isEqualTo("+OK\r\n");
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static boolean waitFor(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(20);
        }
        return check.ok();
    }
}
