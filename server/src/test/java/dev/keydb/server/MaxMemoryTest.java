package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * maxmemory with each maxmemory-policy: used memory stays at the limit, the policy picks which
 * keys go (LRU the least recently used, LFU the least often used, TTL the soonest to expire,
 * volatile-* only keys with a TTL), an eviction is an "evicted" keyspace event, a DEL in the
 * AOF and a change to WATCHers, and with nothing left to evict writes get Redis's -OOM.
 * (Reply texts against redis-server: differential/maxmemory.redis.)
 */
class MaxMemoryTest {
    private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
    private static final String VALUE = "v".repeat(100);

    @RegisterExtension
    static final ServerExtension server = new ServerExtension("--appendonly", "yes");
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
        c.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction", "maxmemory-samples", "5");
        c.call("CONFIG", "RESETSTAT");
    }

    @AfterEach
    void restore() throws Exception {
        c.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction", "notify-keyspace-events", "");
        c.close();
    }

    private long used() throws IOException {
        return Long.parseLong(c.info("memory", "used_memory"));
    }

    private long evicted() throws IOException {
        return Long.parseLong(c.info("stats", "evicted_keys"));
    }

    /** Limits memory to what is used now plus {@code headroom} bytes. */
    private long limitToUsedPlus(long headroom) throws IOException {
        long limit = used() + headroom;
        assertThat(c.call("CONFIG", "SET", "maxmemory", String.valueOf(limit))).isEqualTo("+OK\r\n");
        return limit;
    }

    private int existing(String prefix, int n) throws IOException {
        int found = 0;
        for (int i = 0; i < n; i++) {
            found += c.call("EXISTS", prefix + i).equals(":1\r\n") ? 1 : 0;
        }
        return found;
    }

    @Test
    void accountingFollowsTheDataset() throws Exception {
        long empty = Long.parseLong(c.info("memory", "used_memory_dataset"));
        assertThat(empty).isZero();
        for (int i = 0; i < 1000; i++) {
            c.call("SET", "k" + i, VALUE);
        }
        long dataset = Long.parseLong(c.info("memory", "used_memory_dataset"));
        assertThat(dataset).isBetween(1000L * 150, 1000L * 300);     // key, value, slot: ~200 bytes each
        c.call("RPUSH", "list", VALUE, VALUE, VALUE);
        long withList = Long.parseLong(c.info("memory", "used_memory_dataset"));
        assertThat(withList).isGreaterThan(dataset + 300);
        for (int i = 0; i < 500; i++) {
            c.call("RPUSH", "list", VALUE);                          // grows in place: re-weighed
        }
        // (a long list is counted from a sampled node average, refreshed as it grows by a sixteenth)
        assertThat(Long.parseLong(c.info("memory", "used_memory_dataset"))).isGreaterThan(withList + 500 * 100 * 15 / 16);
        c.call("FLUSHALL");
        assertThat(Long.parseLong(c.info("memory", "used_memory_dataset"))).isZero();
    }

    @Test
    void noevictionRefusesWritesButServesReadsAndDeletes() throws Exception {
        c.call("SET", "a", VALUE);
        c.call("CONFIG", "SET", "maxmemory", "1");
        assertThat(c.call("SET", "b", VALUE)).isEqualTo(OOM);
        assertThat(c.call("GET", "a")).isEqualTo("$100\r\n" + VALUE + "\r\n");
        assertThat(c.call("DEL", "a")).isEqualTo(":1\r\n");
        assertThat(evicted()).isZero();
        assertThat(c.info("stats", "total_error_replies")).isEqualTo("1");
    }

    @Test
    void allkeysLruEvictsTheLeastRecentlyUsed() throws Exception {
        for (int i = 0; i < 2000; i++) {
            c.call("SET", "old" + i, VALUE);
        }
        Thread.sleep(1100);                                          // the LRU clock counts seconds, as Redis's
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        long limit = limitToUsedPlus(0);
        for (int i = 0; i < 1000; i++) {
            c.call("SET", "new" + i, VALUE);
        }
        assertThat(evicted()).isBetween(900L, 1100L);
        assertThat(used()).isLessThanOrEqualTo(limit + 16 * 1024);   // client buffers are counted every 100 ms
        // The old keys went: of the new ones nearly all are still there.
        assertThat(existing("new", 1000)).isGreaterThan(950);
        assertThat(existing("old", 2000)).isLessThan(1150);
    }

    @Test
    void allkeysLfuKeepsTheFrequentlyUsed() throws Exception {
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0");
        for (int i = 0; i < 1000; i++) {
            c.call("SET", "cold" + i, VALUE);
        }
        for (int i = 0; i < 100; i++) {
            c.call("SET", "hot" + i, VALUE);
            for (int j = 0; j < 20; j++) {
                c.call("GET", "hot" + i);
            }
        }
        // With a log factor of 0 each access counts one: the initial 5 plus 20 (one less if a
        // minute turned meanwhile: lfu-decay-time 1 takes one a minute).
        assertThat(c.call("OBJECT", "FREQ", "hot7")).isIn(":25\r\n", ":24\r\n");
        assertThat(c.call("OBJECT", "FREQ", "cold7")).isIn(":5\r\n", ":4\r\n");
        assertThat(c.call("OBJECT", "IDLETIME", "hot7")).startsWith("-ERR An LFU maxmemory policy is selected");
        limitToUsedPlus(0);
        for (int i = 0; i < 600; i++) {
            c.call("SET", "fresh" + i, VALUE);
            c.call("GET", "fresh" + i);                             // one access more than a cold key
        }
        assertThat(evicted()).isGreaterThan(500);
        assertThat(existing("hot", 100)).isEqualTo(100);
    }

    @Test
    void volatileTtlEvictsTheSoonestToExpireAndNeverAPersistentKey() throws Exception {
        c.call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
        for (int i = 0; i < 500; i++) {
            c.call("SET", "keep" + i, VALUE);
        }
        for (int i = 0; i < 500; i++) {
            c.call("SET", "ttl" + i, VALUE, "EX", String.valueOf(10_000 + i * 10));
        }
        limitToUsedPlus(0);
        for (int i = 0; i < 200; i++) {
            c.call("SET", "more" + i, VALUE);
        }
        assertThat(existing("keep", 500)).isEqualTo(500);
        assertThat(existing("more", 200)).isEqualTo(200);
        // The sampled pool takes the shorter TTLs first (approximately, as Redis's): the
        // longest-lived 40 % are untouched.
        assertThat(existing("ttl", 500)).isBetween(250, 320);
        for (int i = 300; i < 500; i++) {
            assertThat(c.call("EXISTS", "ttl" + i)).as("ttl%d", i).isEqualTo(":1\r\n");
        }
        // Once no key has a TTL, nothing can be evicted: writes are refused.
        for (int i = 0; i < 500; i++) {
            c.call("PERSIST", "ttl" + i);
        }
        // (the TTL table shrank as keys left it: there is room for a few keys first)
        String reply = "";
        for (int i = 0; i < 200 && !reply.equals(OOM); i++) {
            reply = c.call("SET", "still" + i, VALUE);
        }
        assertThat(reply).isEqualTo(OOM);
        assertThat(existing("ttl", 500)).isBetween(250, 320);       // and no persistent key went
    }

    @Test
    void randomPoliciesEvictWithinTheirCandidates() throws Exception {
        c.call("CONFIG", "SET", "maxmemory-policy", "volatile-random");
        for (int i = 0; i < 300; i++) {
            c.call("SET", "keep" + i, VALUE);
            c.call("SET", "ttl" + i, VALUE, "EX", "10000");
        }
        c.call("SELECT", "3");
        for (int i = 0; i < 300; i++) {
            c.call("SET", "db3ttl" + i, VALUE, "EX", "10000");
        }
        limitToUsedPlus(0);
        for (int i = 0; i < 200; i++) {
            c.call("SET", "more" + i, VALUE);
        }
        assertThat(evicted()).isGreaterThan(150);
        int db3 = existing("db3ttl", 300);
        c.call("SELECT", "0");
        assertThat(existing("keep", 300)).isEqualTo(300);
        // Random over the databases in turn: both lost keys.
        assertThat(db3).isLessThan(300);
        assertThat(existing("ttl", 300)).isLessThan(300);
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        for (int i = 200; i < 400; i++) {
            c.call("SET", "more" + i, VALUE);
        }
        assertThat(existing("keep", 300)).isLessThan(300);
    }

    @Test
    void anEvictionIsAnEventADelInTheAofAndAChangeForWatchers() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "Ee");
        try (RawConnection sub = new RawConnection(server.port()); RawConnection watcher = new RawConnection(server.port())) {
            sub.call("SUBSCRIBE", "__keyevent@0__:evicted");
            c.call("SET", "victim", VALUE);
            watcher.call("WATCH", "victim");
            watcher.call("MULTI");
            watcher.call("SET", "other", "x");
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            c.call("CONFIG", "SET", "maxmemory", "1");               // everything must go
            assertThat(c.call("SET", "next", VALUE)).isEqualTo(OOM); // nothing left to evict for it either
            assertThat(RespValue.array(sub.readReply())).isEqualTo(List.of("message", "__keyevent@0__:evicted", "victim"));
            c.call("CONFIG", "SET", "maxmemory", "0");
            assertThat(watcher.call("EXEC")).isEqualTo("*-1\r\n");
        }
        assertThat(evicted()).isEqualTo(1);
        assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
        // The AOF replays the eviction: after a restart from it the key is gone.
        c.call("SET", "survivor", "1");
        String aof = new String(java.nio.file.Files.readAllBytes(latestIncr(server.dir())), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(aof).contains("*2\r\n$3\r\nDEL\r\n$6\r\nvictim\r\n");
    }

    @Test
    void aPausedServerEvictsNothingUntilUnpaused() throws Exception {
        for (int i = 0; i < 100; i++) {
            c.call("SET", "k" + i, VALUE);
        }
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        assertThat(c.call("CLIENT", "PAUSE", "20000", "WRITE")).isEqualTo("+OK\r\n");
        c.call("CONFIG", "SET", "maxmemory", "1");
        assertThat(c.call("GET", "k1")).isEqualTo("$100\r\n" + VALUE + "\r\n");
        Thread.sleep(250);                                           // the cron would evict too
        assertThat(evicted()).isZero();
        c.call("CLIENT", "UNPAUSE");
        // The next command evicts (for as long as maxmemory-eviction-tenacity allows; the cron
        // does the rest, as Redis's eviction timer).
        assertThat(PubSubTest.waitFor(() -> evicted() == 100)).isTrue();
        assertThat(c.call("GET", "k1")).isEqualTo("$-1\r\n");
    }

    @Test
    void clientsOverMaxmemoryClientsAreClosedExceptNoEvictOnes() throws Exception {
        assertThat(c.call("CONFIG", "SET", "maxmemory-clients", "1mb")).isEqualTo("+OK\r\n");
        // A command whose 4 MB argument is still arriving: 1.5 MB of it sit in the query buffer.
        String partial = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n" + "x".repeat(1_500_000);
        try (RawConnection big = new RawConnection(server.port()); RawConnection exempt = new RawConnection(server.port())) {
            assertThat(exempt.call("CLIENT", "NO-EVICT", "on")).isEqualTo("+OK\r\n");
            exempt.send(partial);
            big.send(partial);
            assertThat(big.awaitClosedByPeer(5000)).isTrue();
            assertThat(exempt.isClosedByPeer()).isFalse();
            assertThat(c.info("stats", "evicted_clients")).isEqualTo("1");
        } finally {
            c.call("CONFIG", "SET", "maxmemory-clients", "0");
        }
        assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void memoryDoctorWarnsOfAMaxmemoryTheHeapCannotHold() throws Exception {
        c.call("SET", "k", VALUE);
        assertThat(c.call("MEMORY", "DOCTOR")).doesNotContain("maxmemory too close to the heap");
        c.call("CONFIG", "SET", "maxmemory", String.valueOf(Runtime.getRuntime().maxMemory()));  // the test JVM is the server's
        assertThat(c.call("MEMORY", "DOCTOR")).contains("maxmemory too close to the heap").contains("CONFIG SET maxmemory ");
    }

    private static java.nio.file.Path latestIncr(java.nio.file.Path dir) throws IOException {
        try (var files = java.nio.file.Files.list(dir.resolve("appendonlydir"))) {
            return files.filter(p -> p.getFileName().toString().contains(".incr.aof")).max(java.util.Comparator.naturalOrder())
                    .orElseThrow();
        }
    }
}
