package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client-side caching over the wire: invalidation pushes, redirection to a RESP2 subscriber, BCAST, OPTIN/OPTOUT, NOLOOP, flushes, the key limit. */
class TrackingTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String push(String... keys) {
        StringBuilder b = new StringBuilder(">2\r\n$10\r\ninvalidate\r\n*").append(keys.length).append("\r\n");
        for (String k : keys) {
            b.append('$').append(k.length()).append("\r\n").append(k).append("\r\n");
        }
        return b.toString();
    }

    private static RawConnection resp3() throws IOException {
        RawConnection c = new RawConnection(server.port());
        assertThat(c.call("HELLO", "3")).startsWith("%7");
        return c;
    }

    private static long id(RawConnection c) throws IOException {
        String r = c.call("CLIENT", "ID");
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    @BeforeEach
    void flush() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("CONFIG", "SET", "tracking-table-max-keys", "1000000");
            c.call("FLUSHALL");
        }
    }

    @Test
    void aReadKeyIsInvalidatedOnceWhenAnotherClientWritesIt() throws Exception {
        try (RawConnection a = resp3(); RawConnection b = new RawConnection(server.port())) {
            assertThat(a.call("CLIENT", "TRACKING", "on")).isEqualTo("+OK\r\n");
            assertThat(a.call("GET", "k")).isEqualTo("_\r\n");
            assertThat(a.call("MGET", "k2", "k3")).isEqualTo("*2\r\n_\r\n_\r\n");
            assertThat(b.call("SET", "k", "1")).isEqualTo("+OK\r\n");
            assertThat(a.readReply()).isEqualTo(push("k"));
            assertThat(b.call("MSET", "k", "2", "k2", "x", "k3", "y")).isEqualTo("+OK\r\n");
            // k was forgotten after its invalidation: only k2 and k3 are reported.
            assertThat(a.readReply()).isEqualTo(push("k2"));
            assertThat(a.readReply()).isEqualTo(push("k3"));
            assertThat(a.call("PING")).isEqualTo("+PONG\r\n");
            // The client's own write: the push follows the write's reply.
            a.call("GET", "k");
            a.command("SET", "k", "3");
            assertThat(a.readReply()).isEqualTo("+OK\r\n");
            assertThat(a.readReply()).isEqualTo(push("k"));
            a.call("GET", "k");
            assertThat(b.call("INFO", "stats")).contains("tracking_total_keys:1\r\n", "tracking_total_items:1\r\n");
            assertThat(b.call("INFO", "clients")).contains("tracking_clients:1\r\n");
            assertThat(a.call("CLIENT", "INFO")).contains(" flags=t ", " redir=0 ");
        }
    }

    @Test
    void redirectToAResp2SubscriberSendsPubSubMessages() throws Exception {
        try (RawConnection sub = new RawConnection(server.port()); RawConnection t = new RawConnection(server.port());
             RawConnection w = new RawConnection(server.port())) {
            long subId = id(sub);
            assertThat(sub.call("SUBSCRIBE", "__redis__:invalidate")).startsWith("*3\r\n$9\r\nsubscribe");
            assertThat(t.call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(subId))).isEqualTo("+OK\r\n");
            assertThat(t.call("CLIENT", "GETREDIR")).isEqualTo(":" + subId + "\r\n");
            t.call("GET", "rk");
            assertThat(w.call("DEL", "rk")).isEqualTo(":0\r\n"); // nothing deleted: no change, no invalidation
            assertThat(w.call("SET", "rk", "v")).isEqualTo("+OK\r\n");
            assertThat(sub.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$2\r\nrk\r\n");
            t.call("GET", "rk");
            assertThat(w.call("FLUSHALL")).isEqualTo("+OK\r\n");
            assertThat(sub.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n");
            // The redirect target leaves: the redirection is broken.
            sub.close();
            Thread.sleep(200);
            t.call("GET", "rk");
            w.call("SET", "rk", "again");
            assertThat(t.call("CLIENT", "TRACKINGINFO")).contains("$15\r\nbroken_redirect\r\n");
            assertThat(t.call("CLIENT", "INFO")).contains(" flags=tR ");
            // In RESP3 the tracking client is told so.
            t.call("HELLO", "3");
            t.call("GET", "rk");
            w.call("SET", "rk", "third");
            assertThat(t.readReply()).isEqualTo(">2\r\n$21\r\ntracking-redir-broken\r\n:" + subId + "\r\n");
        }
    }

    @Test
    void bcastSendsEveryChangedKeyUnderThePrefixesOncePerBatch() throws Exception {
        try (RawConnection a = resp3(); RawConnection b = new RawConnection(server.port())) {
            assertThat(a.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX", "obj:")).isEqualTo("+OK\r\n");
            assertThat(b.call("MSET", "user:1", "a", "obj:2", "b", "zz", "c", "user:0", "d")).isEqualTo("+OK\r\n");
            // One array per prefix, prefixes and keys in byte order.
            assertThat(a.readReply()).isEqualTo(push("obj:2"));
            assertThat(a.readReply()).isEqualTo(push("user:0", "user:1"));
            a.command("SET", "user:5", "x");
            assertThat(a.readReply()).isEqualTo("+OK\r\n");
            assertThat(a.readReply()).isEqualTo(push("user:5"));
            assertThat(b.call("INFO", "stats")).contains("tracking_total_prefixes:2\r\n");
            assertThat(a.call("CLIENT", "INFO")).contains(" flags=tB ");
            assertThat(a.call("CLIENT", "TRACKING", "off")).isEqualTo("+OK\r\n");
            assertThat(b.call("INFO", "stats")).contains("tracking_total_prefixes:0\r\n");
        }
    }

    @Test
    void noloopSkipsTheClientsOwnChanges() throws Exception {
        try (RawConnection a = resp3(); RawConnection b = new RawConnection(server.port())) {
            a.call("CLIENT", "TRACKING", "on", "NOLOOP");
            a.call("GET", "n");
            assertThat(a.call("SET", "n", "1")).isEqualTo("+OK\r\n");
            assertThat(a.call("PING")).isEqualTo("+PONG\r\n"); // no push for its own write
            a.call("GET", "n");
            b.call("SET", "n", "2");
            assertThat(a.readReply()).isEqualTo(push("n"));
            a.call("CLIENT", "TRACKING", "off");
            a.call("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP");
            a.call("MSET", "x", "1", "y", "2");
            b.call("SET", "x", "3");
            assertThat(a.readReply()).isEqualTo(push("x"));
            assertThat(a.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void optinTracksOnlyAfterCachingYesAndOptoutSkipsAfterCachingNo() throws Exception {
        try (RawConnection a = resp3(); RawConnection b = new RawConnection(server.port())) {
            a.call("CLIENT", "TRACKING", "on", "OPTIN");
            a.call("GET", "o1");
            assertThat(a.call("CLIENT", "CACHING", "yes")).isEqualTo("+OK\r\n");
            a.call("GET", "o2");
            a.call("GET", "o5"); // CACHING YES applied to the previous command only
            b.call("MSET", "o1", "1", "o2", "2", "o5", "5");
            assertThat(a.readReply()).isEqualTo(push("o2"));
            // In MULTI, CACHING YES covers every command of the transaction.
            a.call("CLIENT", "CACHING", "yes");
            a.call("MULTI");
            a.call("GET", "o3");
            a.call("GET", "o4");
            assertThat(a.call("EXEC")).isEqualTo("*2\r\n_\r\n_\r\n");
            b.call("MSET", "o3", "1", "o4", "2");
            assertThat(a.readReply()).isEqualTo(push("o3"));
            assertThat(a.readReply()).isEqualTo(push("o4"));
            a.call("CLIENT", "TRACKING", "off");
            a.call("CLIENT", "TRACKING", "on", "OPTOUT");
            a.call("GET", "p1");
            a.call("CLIENT", "CACHING", "no");
            a.call("GET", "p2");
            b.call("MSET", "p1", "1", "p2", "2");
            assertThat(a.readReply()).isEqualTo(push("p1"));
            assertThat(a.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void flushSendsANullInvalidationAfterTheReply() throws Exception {
        try (RawConnection a = resp3(); RawConnection b = resp3()) {
            a.call("CLIENT", "TRACKING", "on");
            b.call("CLIENT", "TRACKING", "on", "BCAST");
            a.call("GET", "f");
            a.command("FLUSHALL");
            assertThat(a.readReply()).isEqualTo("+OK\r\n");
            assertThat(a.readReply()).isEqualTo(">2\r\n$10\r\ninvalidate\r\n_\r\n");
            assertThat(b.readReply()).isEqualTo(">2\r\n$10\r\ninvalidate\r\n_\r\n");
            assertThat(a.call("INFO", "stats")).contains("tracking_total_keys:0\r\n");
        }
    }

    @Test
    void expiryInvalidatesAndResetOrDisconnectStopsTracking() throws Exception {
        try (RawConnection a = resp3(); RawConnection b = new RawConnection(server.port())) {
            b.call("SET", "e", "1", "PX", "100");
            a.call("CLIENT", "TRACKING", "on");
            assertThat(a.call("GET", "e")).isEqualTo("$1\r\n1\r\n");
            assertThat(a.readReply()).isEqualTo(push("e")); // removed by the active expiry cycle
            assertThat(a.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(a.call("CLIENT", "TRACKINGINFO")).startsWith("*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n");
            assertThat(b.call("INFO", "clients")).contains("tracking_clients:0\r\n");
        }
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "gone:");
        }
        Thread.sleep(200);
        try (RawConnection d = new RawConnection(server.port())) {
            assertThat(d.call("INFO", "clients")).contains("tracking_clients:0\r\n");
            assertThat(d.call("INFO", "stats")).contains("tracking_total_prefixes:0\r\n");
        }
    }

    @Test
    void theKeyTableStaysWithinItsLimitByInvalidatingTheOldestKeys() throws Exception {
        try (RawConnection a = resp3(); RawConnection b = new RawConnection(server.port())) {
            b.call("CONFIG", "SET", "tracking-table-max-keys", "2");
            a.call("CLIENT", "TRACKING", "on");
            a.call("GET", "l1");
            a.call("GET", "l2");
            a.call("GET", "l3");
            // Before the next command the table is trimmed: l1, the oldest, is invalidated.
            a.command("PING");
            assertThat(a.readReply()).isEqualTo("+PONG\r\n");
            assertThat(a.readReply()).isEqualTo(push("l1"));
            assertThat(b.call("INFO", "stats")).contains("tracking_total_keys:2\r\n");
        }
    }

    @Test
    void keydbMexistsAndHrename() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("SET", "a", "1");
            c.call("HSET", "h", "f", "v", "g", "w");
            assertThat(c.call("KEYDB.MEXISTS", "a", "nope", "h")).isEqualTo("*3\r\n:1\r\n:0\r\n:1\r\n");
            assertThat(c.call("KEYDB.MEXISTS")).isEqualTo("-ERR wrong number of arguments for 'keydb.mexists' command\r\n");
            assertThat(c.call("KEYDB.HRENAME", "h", "f", "f2")).isEqualTo(":1\r\n");
            assertThat(c.call("HGETALL", "h")).isEqualTo("*4\r\n$1\r\ng\r\n$1\r\nw\r\n$2\r\nf2\r\n$1\r\nv\r\n");
            // Renaming onto an existing field replaces it.
            assertThat(c.call("KEYDB.HRENAME", "h", "f2", "g")).isEqualTo(":1\r\n");
            assertThat(c.call("HGETALL", "h")).isEqualTo("*2\r\n$1\r\ng\r\n$1\r\nv\r\n");
            assertThat(c.call("KEYDB.HRENAME", "h", "missing", "x")).isEqualTo("-ERR hash key doesn't exist\r\n");
            assertThat(c.call("KEYDB.HRENAME", "nokey", "f", "x")).isEqualTo("$-1\r\n");
            assertThat(c.call("KEYDB.HRENAME", "a", "f", "x")).startsWith("-WRONGTYPE");
            assertThat(c.call("KEYDB.HRENAME", "h", "f")).isEqualTo("-ERR wrong number of arguments for 'keydb.hrename' command\r\n");
            c.call("HELLO", "3");
            assertThat(c.call("KEYDB.MEXISTS", "a", "nope")).isEqualTo("*2\r\n#t\r\n#f\r\n");
        }
    }

    @Test
    void lettuceClientSideCacheIsInvalidated() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> conn = client.connect();
             StatefulRedisConnection<String, String> writer = client.connect()) {
            Map<String, String> cache = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(cache), conn,
                    TrackingArgs.Builder.enabled());
            writer.sync().set("lk", "v1");
            assertThat(frontend.get("lk")).isEqualTo("v1");
            assertThat(cache).containsEntry("lk", "v1");
            writer.sync().set("lk", "v2");
            long deadline = System.currentTimeMillis() + 5000;
            while (cache.containsKey("lk") && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(cache).doesNotContainKey("lk");
            assertThat(frontend.get("lk")).isEqualTo("v2");
            frontend.close();
        } finally {
            client.shutdown();
        }
    }
}
