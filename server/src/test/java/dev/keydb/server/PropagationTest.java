package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The propagated stream (what the AOF and replicas receive) for each command Redis 7.0 rewrites
 * into a deterministic form, captured by a listener: one string per unit, operations as
 * "db:ARG ARG", units of several operations wrapped in MULTI/EXEC.
 */
class PropagationTest {
    static TestServer server;
    static RawConnection c;
    static final List<String> units = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start("--enable-debug-command", "yes");
        server.server().propagation().addListener(unit -> {
            List<String> ops = new ArrayList<>();
            for (Propagation.Op op : unit) {
                List<String> args = new ArrayList<>();
                for (byte[] a : op.argv()) {
                    args.add(new String(a, StandardCharsets.ISO_8859_1));
                }
                ops.add(op.db() + ":" + String.join(" ", args));
            }
            synchronized (units) {
                units.add(String.join(" | ", ops));
            }
        });
        c = new RawConnection(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        server.close();
    }

    @BeforeEach
    void clear() throws Exception {
        c.call("FLUSHALL");
        c.call("SELECT", "0");
        synchronized (units) {
            units.clear();
        }
    }

    private static List<String> propagated() {
        synchronized (units) {
            List<String> copy = new ArrayList<>(units);
            units.clear();
            return copy;
        }
    }

    /** A propagated unit with every number of at least 12 digits (a timestamp) replaced by "T". */
    private static List<String> masked() {
        Pattern ts = Pattern.compile("\\d{12,}");
        return propagated().stream().map(u -> ts.matcher(u).replaceAll("T")).toList();
    }

    @Test
    void plainWritesAsExecutedAndReadsNotAtAll() throws Exception {
        c.call("SET", "k", "v");
        c.call("GET", "k");
        c.call("SET", "k", "v", "NX"); // no change: nothing
        c.call("LPUSH", "l", "a", "b");
        assertThat(propagated()).containsExactly("0:SET k v", "0:LPUSH l a b");
    }

    @Test
    void setWithExpiryBecomesSetPxat() throws Exception {
        long before = System.currentTimeMillis();
        c.call("SET", "a", "1", "EX", "100");
        c.call("SET", "b", "2", "PX", "100000", "GET");
        c.call("SETEX", "c", "100", "3");
        c.call("PSETEX", "d", "100000", "4");
        c.call("SET", "e", "5", "GET");
        c.call("SET", "f", "6", "EXAT", "4102444800");
        List<String> u = propagated();
        assertThat(u).hasSize(6);
        for (int i = 0; i < 4; i++) {
            assertThat(u.get(i)).matches("0:SET [abcd] [1234] PXAT \\d+");
            long at = Long.parseLong(u.get(i).substring(u.get(i).lastIndexOf(' ') + 1));
            assertThat(at).isBetween(before + 99_000, System.currentTimeMillis() + 100_000);
        }
        assertThat(u.get(4)).isEqualTo("0:SET e 5");
        assertThat(u.get(5)).isEqualTo("0:SET f 6 PXAT 4102444800000");
    }

    @Test
    void expireFamilyBecomesPexpireatAndPastTimesDel() throws Exception {
        c.call("SET", "k", "v");
        c.call("SET", "g", "v");
        propagated();
        c.call("EXPIRE", "k", "100");
        c.call("PEXPIRE", "k", "200000", "GT");
        c.call("EXPIREAT", "k", "4102444800");
        c.call("PEXPIREAT", "k", "4102444800001");
        c.call("PERSIST", "k");
        c.call("EXPIRE", "g", "-1");
        c.call("EXPIRE", "missing", "10");
        assertThat(masked()).containsExactly("0:PEXPIREAT k T", "0:PEXPIREAT k T GT", "0:PEXPIREAT k T",
                "0:PEXPIREAT k T", "0:PERSIST k", "0:DEL g");
    }

    @Test
    void getexAndIncrbyfloat() throws Exception {
        c.call("SET", "k", "v");
        propagated();
        c.call("GETEX", "k", "EX", "100");
        c.call("GETEX", "k", "PERSIST");
        c.call("GETEX", "k");
        c.call("INCRBYFLOAT", "f", "1.5");
        c.call("HINCRBYFLOAT", "h", "x", "2.25");
        c.call("GETEX", "k", "PXAT", "1");
        assertThat(masked()).containsExactly("0:PEXPIREAT k T", "0:PERSIST k", "0:SET f 1.5 KEEPTTL", "0:HSET h x 2.25", "0:DEL k");
    }

    @Test
    void spopBecomesSremOrDel() throws Exception {
        c.call("SADD", "s", "a");
        c.call("SADD", "t", "a", "b", "c", "d");
        c.call("SADD", "u", "a", "b");
        propagated();
        c.call("SPOP", "s");
        c.call("SPOP", "t", "2");
        c.call("SPOP", "u", "5");
        c.call("SRANDMEMBER", "t");
        List<String> u = propagated();
        assertThat(u).hasSize(3);
        assertThat(u.get(0)).isEqualTo("0:SREM s a");
        assertThat(u.get(1)).matches("0:SREM t [abcd] [abcd]");
        assertThat(u.get(2)).isEqualTo("0:DEL u");
    }

    @Test
    void blockingPopsPropagateTheirNonBlockingForms() throws Exception {
        c.call("RPUSH", "l", "a", "b", "c");
        c.call("ZADD", "z", "1", "x", "2", "y", "3", "w");
        propagated();
        c.call("BLPOP", "l", "0");
        c.call("BRPOP", "l", "0");
        c.call("BLMOVE", "l", "m", "LEFT", "RIGHT", "0");
        c.call("RPUSH", "l", "a", "b");
        c.call("LMPOP", "2", "none", "l", "RIGHT", "COUNT", "5");
        c.call("BZPOPMIN", "z", "0");
        c.call("ZMPOP", "1", "z", "MAX");
        c.call("BZMPOP", "0", "1", "z", "MIN", "COUNT", "3");
        assertThat(propagated()).containsExactly("0:LPOP l", "0:RPOP l", "0:LMOVE l m LEFT RIGHT", "0:RPUSH l a b",
                "0:RPOP l 2", "0:ZPOPMIN z", "0:ZPOPMAX z 1", "0:ZPOPMIN z 1");
    }

    @Test
    void servedBlockedClientPropagatesAfterThePush() throws Exception {
        try (RawConnection other = new RawConnection(server.port())) {
            other.command("BRPOPLPUSH", "src", "dst", "0");
            Thread.sleep(100);
            c.call("LPUSH", "src", "x");
            assertThat(other.readReply()).isEqualTo("$1\r\nx\r\n");
        }
        assertThat(propagated()).containsExactly("0:LPUSH src x", "0:RPOPLPUSH src dst");
    }

    @Test
    void transactionsWrapOnlyTheirWrites() throws Exception {
        c.call("MULTI");
        c.call("SET", "a", "1");
        c.call("GET", "a");
        c.call("INCR", "a");
        c.call("EXEC");
        c.call("MULTI");
        c.call("GET", "a");
        c.call("SET", "b", "2");
        c.call("EXEC");
        c.call("MULTI");
        c.call("GET", "a");
        c.call("EXEC");
        assertThat(propagated()).containsExactly("0:MULTI | 0:SET a 1 | 0:INCR a | 0:EXEC", "0:SET b 2");
    }

    @Test
    void scriptsPropagateTheirEffects() throws Exception {
        c.call("EVAL", "redis.call('set', KEYS[1], 'x'); redis.call('get', KEYS[1]); redis.call('select', 2); "
                + "redis.call('incr', 'n'); return 1", "1", "k");
        c.call("EVAL", "return redis.call('get', 'k')", "0");
        assertThat(propagated()).containsExactly("0:MULTI | 0:set k x | 2:incr n | 2:EXEC");
    }

    @Test
    void databasesTravelWithEachOperation() throws Exception {
        c.call("SELECT", "3");
        c.call("SET", "k", "v");
        c.call("MOVE", "k", "4");
        c.call("SELECT", "0");
        c.call("SWAPDB", "3", "4");
        assertThat(propagated()).containsExactly("3:SET k v", "3:MOVE k 4", "0:SWAPDB 3 4");
    }

    @Test
    void expiredKeysPropagateAsDel() throws Exception {
        c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"); // only lazy expiry here
        c.call("SET", "k", "v", "PX", "1");
        Thread.sleep(20);
        propagated();
        c.call("GET", "k");
        c.call("SET", "j", "v", "PX", "1");
        Thread.sleep(20);
        c.call("SET", "j", "w");
        List<String> u = masked();
        // The deletion goes out on its own, ahead of the command that found the key expired (Redis 7.0's propagateNow).
        assertThat(u).containsExactly("0:DEL k", "0:SET j v PXAT T", "0:DEL j", "0:SET j w");
        c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        c.call("SET", "a", "v", "PX", "1");
        Thread.sleep(400); // the active cycle (hz 10) deletes it
        assertThat(masked()).containsExactly("0:SET a v PXAT T", "0:DEL a");
    }

    @Test
    void restoreGetsAnAbsoluteTtlAndExpirememberItsAbsoluteForm() throws Exception {
        c.call("SET", "src", "v");
        c.call("SADD", "s", "m");
        propagated();
        assertThat(c.call("EVAL", "return redis.call('restore', 'dst', 100000, redis.call('dump', 'src'))", "0")).isEqualTo("+OK\r\n");
        c.call("EXPIREMEMBER", "s", "m", "100");
        List<String> u = masked();
        assertThat(u).hasSize(2);
        assertThat(u.get(0)).startsWith("0:restore dst T ").endsWith(" ABSTTL");
        assertThat(u.get(1)).isEqualTo("0:PEXPIREMEMBERAT s m T");
    }

    @Test
    void expiredMembersPropagateTheirRemoval() throws Exception {
        c.call("HSET", "h", "a", "1", "b", "2");
        c.call("SADD", "s", "x");
        propagated();
        c.call("PEXPIREMEMBERAT", "h", "a", "1");
        c.call("PEXPIREMEMBERAT", "s", "x", "1");
        Thread.sleep(20);
        c.call("HGETALL", "h");
        c.call("SMEMBERS", "s");
        List<String> u = propagated();
        assertThat(u).containsExactlyInAnyOrder("0:PEXPIREMEMBERAT h a 1", "0:PEXPIREMEMBERAT s x 1", "0:HDEL h a",
                "0:SREM s x", "0:DEL s"); // lazily or by the active cycle, in either key order
        assertThat(u.indexOf("0:SREM s x")).isLessThan(u.indexOf("0:DEL s"));
    }

    @Test
    void streamsPropagateIdsExactTrimsAndClaims() throws Exception {
        c.call("XADD", "x", "1-1", "f", "v");
        c.call("XADD", "x", "*", "f", "v");
        c.call("XADD", "x", "5-*", "f", "v");
        c.call("XADD", "x", "MAXLEN", "~", "1", "9-1", "f", "v");
        c.call("XGROUP", "CREATE", "x", "g", "0");
        propagated();
        // As redis-server 7.0.15 writes them: a delivery is an XCLAIM (which creates the consumer);
        // with NOACK the new consumer and the group's last ID go as XGROUP commands.
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "x", ">");
        c.call("XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "1", "STREAMS", "x", ">");
        c.call("XCLAIM", "x", "g", "carol", "0", "1-1");
        assertThat(masked()).containsExactly("0:XCLAIM x g alice 0 1-1 TIME T RETRYCOUNT 1 FORCE JUSTID LASTID 1-1",
                "0:MULTI | 0:XGROUP CREATECONSUMER x g bob | 0:XGROUP SETID x g T-0 ENTRIESREAD 2 | 0:EXEC",
                "0:XCLAIM x g carol 0 1-1 TIME T RETRYCOUNT 2 FORCE JUSTID LASTID T-0");
    }

    @Test
    void xaddRewrites() throws Exception {
        c.call("XADD", "x", "1-1", "f", "v");
        c.call("XADD", "x", "5-*", "f", "v");
        c.call("XADD", "x", "*", "f", "v");
        List<String> u = propagated();
        assertThat(u.get(0)).isEqualTo("0:XADD x 1-1 f v");
        assertThat(u.get(1)).isEqualTo("0:XADD x 5-0 f v");
        assertThat(u.get(2)).matches("0:XADD x \\d{13}-0 f v");
        c.call("DEL", "x");
        propagated();
        for (int i = 1; i <= 300; i++) {
            c.call("XADD", "x", i + "-1", "f", "v");
        }
        propagated();
        c.call("XTRIM", "x", "MAXLEN", "~", "10");
        String len = c.call("XLEN", "x");
        assertThat(propagated()).containsExactly("0:XTRIM x MAXLEN = " + len.substring(1, len.length() - 2));
    }
}
