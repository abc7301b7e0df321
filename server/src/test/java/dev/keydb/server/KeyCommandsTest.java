package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Generic keyspace commands and OBJECT over the wire: replies exactly as Redis 7.0 sends them. */
class KeyCommandsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    @AfterEach
    void disconnect() throws Exception {
        c.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        c.close();
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    @Test
    void delUnlinkExistsTouch() throws Exception {
        c.call("MSET", "a", "1", "b", "2", "c", "3");
        assertThat(c.call("EXISTS", "a", "a", "nope", "b")).isEqualTo(":3\r\n");
        assertThat(c.call("DEL", "a", "a", "nope")).isEqualTo(":1\r\n");
        assertThat(c.call("UNLINK", "b", "c", "b")).isEqualTo(":2\r\n");
        assertThat(c.call("EXISTS", "a", "b", "c")).isEqualTo(":0\r\n");
        c.call("SET", "t", "x");
        assertThat(c.call("TOUCH", "t", "t", "missing")).isEqualTo(":2\r\n");
        assertThat(c.call("DEL")).isEqualTo("-ERR wrong number of arguments for 'del' command\r\n");
        assertThat(c.call("UNLINK")).isEqualTo("-ERR wrong number of arguments for 'unlink' command\r\n");
        assertThat(c.call("EXISTS")).isEqualTo("-ERR wrong number of arguments for 'exists' command\r\n");
        assertThat(c.call("TOUCH")).isEqualTo("-ERR wrong number of arguments for 'touch' command\r\n");
    }

    @Test
    void delOfAnExpiredKeyCountsNothing() throws Exception {
        c.call("SET", "k", "v", "PX", "1");
        Thread.sleep(20);
        assertThat(c.call("DEL", "k")).isEqualTo(":0\r\n");
    }

    @Test
    void typeAndDbsize() throws Exception {
        c.call("SET", "s", "v");
        assertThat(c.call("TYPE", "s")).isEqualTo("+string\r\n");
        assertThat(c.call("TYPE", "nope")).isEqualTo("+none\r\n");
        assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n");
        assertThat(c.call("TYPE")).isEqualTo("-ERR wrong number of arguments for 'type' command\r\n");
        assertThat(c.call("TYPE", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'type' command\r\n");
        assertThat(c.call("DBSIZE", "x")).isEqualTo("-ERR wrong number of arguments for 'dbsize' command\r\n");
    }

    @Test
    void keysMatchesPatternsAndSkipsExpiredKeys() throws Exception {
        c.call("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "world", "4");
        c.call("SET", "hgone", "5", "PX", "1");
        Thread.sleep(20);
        assertThat(set(c.call("KEYS", "*"))).containsExactlyInAnyOrder("hello", "hallo", "hxllo", "world");
        assertThat(set(c.call("KEYS", "h[ae]llo"))).containsExactlyInAnyOrder("hello", "hallo");
        assertThat(set(c.call("KEYS", "h[^e]llo"))).containsExactlyInAnyOrder("hallo", "hxllo");
        assertThat(c.call("KEYS", "w*")).isEqualTo("*1\r\n$5\r\nworld\r\n");
        assertThat(c.call("KEYS", "nomatch*")).isEqualTo("*0\r\n");
        assertThat(c.call("KEYS")).isEqualTo("-ERR wrong number of arguments for 'keys' command\r\n");
        assertThat(c.call("KEYS", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'keys' command\r\n");
    }

    private static Set<Object> set(String raw) {
        return new HashSet<>(RespValue.array(raw));
    }

    /** Runs a full SCAN with the given options and returns every key returned (with repeats). */
    private List<String> scanAll(String... options) throws Exception {
        List<String> out = new ArrayList<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> args = new ArrayList<>(List.of("SCAN", cursor));
            args.addAll(List.of(options));
            List<Object> reply = RespValue.array(c.call(args.toArray(new String[0])));
            assertThat(reply).hasSize(2);
            cursor = (String) reply.get(0);
            for (Object k : (List<?>) reply.get(1)) {
                out.add((String) k);
            }
            assertThat(++calls).isLessThan(100_000);
        } while (!cursor.equals("0"));
        return out;
    }

    @Test
    void scanIteratesToCursorZeroCoveringAllKeys() throws Exception {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            c.command("SET", "key:" + i, Integer.toString(i));
            all.add("key:" + i);
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
        }
        assertThat(new HashSet<>(scanAll())).isEqualTo(all);
        assertThat(new HashSet<>(scanAll("COUNT", "3"))).isEqualTo(all);
        assertThat(new HashSet<>(scanAll("COUNT", "100000"))).isEqualTo(all);
        assertThat(new HashSet<>(scanAll("MATCH", "key:1*", "COUNT", "50")))
                .isEqualTo(all.stream().filter(k -> k.startsWith("key:1")).collect(java.util.stream.Collectors.toSet()));
        assertThat(new HashSet<>(scanAll("TYPE", "string", "MATCH", "*"))).isEqualTo(all);
        assertThat(new HashSet<>(scanAll("type", "STRING"))).isEqualTo(all);
        assertThat(scanAll("TYPE", "list")).isEmpty();
        assertThat(scanAll("TYPE", "nosuchtype")).isEmpty();
        // A large COUNT on a small keyspace answers everything in one call.
        c.call("FLUSHALL");
        c.call("MSET", "x", "1", "y", "2");
        List<Object> one = RespValue.array(c.call("SCAN", "0", "COUNT", "1000"));
        assertThat(one.get(0)).isEqualTo("0");
        assertThat(new HashSet<Object>((List<?>) one.get(1))).containsExactlyInAnyOrder("x", "y");
    }

    @Test
    void scanEmptyAndExpired() throws Exception {
        assertThat(c.call("SCAN", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        c.call("SET", "gone", "v", "PX", "1");
        Thread.sleep(20);
        assertThat(c.call("SCAN", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n"); // SCAN reclaimed it
        c.call("SET", "k", "v");
        assertThat(c.call("SCAN", "0", "MATCH", "k", "COUNT", "10", "TYPE", "string"))
                .isEqualTo("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n");
    }

    @Test
    void scanErrors() throws Exception {
        assertThat(c.call("SCAN")).isEqualTo("-ERR wrong number of arguments for 'scan' command\r\n");
        assertThat(c.call("SCAN", "x")).isEqualTo("-ERR invalid cursor\r\n");
        assertThat(c.call("SCAN", " 0")).isEqualTo("-ERR invalid cursor\r\n");
        assertThat(c.call("SCAN", "-")).isEqualTo("-ERR invalid cursor\r\n");
        assertThat(c.call("SCAN", "18446744073709551616")).isEqualTo("-ERR invalid cursor\r\n");
        assertThat(c.call("SCAN", "0", "COUNT", "0")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("SCAN", "0", "COUNT", "-1")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("SCAN", "0", "COUNT", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(c.call("SCAN", "0", "MATCH")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("SCAN", "0", "FOO", "bar")).isEqualTo("-ERR syntax error\r\n");
        // strtoul accepts these: a sign, leading zeros, an empty string, and wraps negatives.
        assertThat(c.call("SCAN", "+0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(c.call("SCAN", "000")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(c.call("SCAN", "")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(c.call("SCAN", "-1")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(c.call("SCAN", "18446744073709551615")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
    }

    @Test
    void scanCursorsAreUnsignedDecimal() throws Exception {
        for (int i = 0; i < 100; i++) {
            c.call("SET", "k" + i, "v");
        }
        List<Object> r = RespValue.array(c.call("SCAN", "0", "COUNT", "1"));
        String cursor = (String) r.get(0);
        assertThat(cursor).matches("[1-9][0-9]*");
        assertThat(Long.parseUnsignedLong(cursor)).isNotZero();
    }

    @Test
    void randomkey() throws Exception {
        assertThat(c.call("RANDOMKEY")).isEqualTo("$-1\r\n");
        c.call("SET", "only", "1");
        assertThat(c.call("RANDOMKEY")).isEqualTo(bulk("only"));
        c.call("SET", "other", "2");
        for (int i = 0; i < 20; i++) {
            assertThat(c.call("RANDOMKEY")).isIn(bulk("only"), bulk("other"));
        }
        assertThat(c.call("RANDOMKEY", "x")).isEqualTo("-ERR wrong number of arguments for 'randomkey' command\r\n");
    }

    @Test
    void renameMovesValueAndTtl() throws Exception {
        assertThat(c.call("RENAME", "nope", "x")).isEqualTo("-ERR no such key\r\n");
        assertThat(c.call("RENAMENX", "nope", "x")).isEqualTo("-ERR no such key\r\n");
        c.call("SET", "a", "1", "EX", "100");
        assertThat(c.call("RENAME", "a", "a")).isEqualTo("+OK\r\n");
        assertThat(c.call("RENAMENX", "a", "a")).isEqualTo(":0\r\n");
        assertThat(c.call("RENAME", "a", "b")).isEqualTo("+OK\r\n");
        assertThat(c.call("EXISTS", "a")).isEqualTo(":0\r\n");
        assertThat(c.call("GET", "b")).isEqualTo("$1\r\n1\r\n");
        assertThat(c.call("TTL", "b")).isEqualTo(":100\r\n");
        c.call("SET", "c", "3");
        assertThat(c.call("RENAMENX", "b", "c")).isEqualTo(":0\r\n");
        assertThat(c.call("RENAME", "c", "b")).isEqualTo("+OK\r\n"); // overwrites, TTL of the source (none)
        assertThat(c.call("GET", "b")).isEqualTo("$1\r\n3\r\n");
        assertThat(c.call("TTL", "b")).isEqualTo(":-1\r\n");
        assertThat(c.call("RENAMENX", "b", "d")).isEqualTo(":1\r\n");
        assertThat(c.call("RENAME", "x")).isEqualTo("-ERR wrong number of arguments for 'rename' command\r\n");
        assertThat(c.call("RENAMENX", "x", "y", "z")).isEqualTo("-ERR wrong number of arguments for 'renamenx' command\r\n");
    }

    @Test
    void moveBetweenDatabases() throws Exception {
        c.call("SET", "k", "v", "EX", "100");
        assertThat(c.call("MOVE", "k", "0")).isEqualTo("-ERR source and destination objects are the same\r\n");
        assertThat(c.call("MOVE", "k", "16")).isEqualTo("-ERR DB index is out of range\r\n");
        assertThat(c.call("MOVE", "k", "-1")).isEqualTo("-ERR DB index is out of range\r\n");
        assertThat(c.call("MOVE", "k", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(c.call("MOVE", "k", "4294967296")).isEqualTo("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n");
        assertThat(c.call("MOVE", "missing", "1")).isEqualTo(":0\r\n");
        assertThat(c.call("MOVE", "k", "1")).isEqualTo(":1\r\n");
        assertThat(c.call("EXISTS", "k")).isEqualTo(":0\r\n");
        c.call("SET", "k", "again");
        assertThat(c.call("MOVE", "k", "1")).isEqualTo(":0\r\n"); // exists in the target
        assertThat(c.call("SELECT", "1")).isEqualTo("+OK\r\n");
        assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        assertThat(c.call("TTL", "k")).isEqualTo(":100\r\n");
        assertThat(c.call("MOVE", "k")).isEqualTo("-ERR wrong number of arguments for 'move' command\r\n");
    }

    @Test
    void copyIsDeepAndKeepsTheTtl() throws Exception {
        c.call("SET", "s", "abc");
        c.call("APPEND", "s", "def"); // a RawString, mutable in place
        c.call("PEXPIRE", "s", "100000");
        assertThat(c.call("COPY", "s", "d")).isEqualTo(":1\r\n");
        assertThat(c.call("OBJECT", "ENCODING", "d")).isEqualTo(bulk("raw"));
        assertThat(c.call("APPEND", "d", "!")).isEqualTo(":7\r\n");
        assertThat(c.call("GET", "s")).isEqualTo(bulk("abcdef"));
        assertThat(c.call("GET", "d")).isEqualTo(bulk("abcdef!"));
        assertThat(c.call("TTL", "d")).isEqualTo(":100\r\n");
        assertThat(c.call("COPY", "s", "d")).isEqualTo(":0\r\n");
        assertThat(c.call("COPY", "s", "d", "REPLACE")).isEqualTo(":1\r\n");
        assertThat(c.call("GET", "d")).isEqualTo(bulk("abcdef"));
        assertThat(c.call("COPY", "missing", "d", "REPLACE")).isEqualTo(":0\r\n");
        assertThat(c.call("COPY", "s", "s")).isEqualTo("-ERR source and destination objects are the same\r\n");
        assertThat(c.call("COPY", "s", "s", "DB", "1")).isEqualTo(":1\r\n");
        assertThat(c.call("COPY", "s", "s", "DB", "1")).isEqualTo(":0\r\n");
        assertThat(c.call("COPY", "s", "s", "db", "1", "replace")).isEqualTo(":1\r\n");
        assertThat(c.call("COPY", "s", "x", "DB", "16")).isEqualTo("-ERR DB index is out of range\r\n");
        assertThat(c.call("COPY", "s", "x", "DB", "one")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(c.call("COPY", "s", "x", "DB")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("COPY", "s", "x", "FOO")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("COPY", "s")).isEqualTo("-ERR wrong number of arguments for 'copy' command\r\n");
        c.call("SELECT", "1");
        assertThat(c.call("GET", "s")).isEqualTo(bulk("abcdef"));
        assertThat(c.call("TTL", "s")).isEqualTo(":100\r\n");
    }

    @Test
    void copyOfASharedIntegerIsAnObjectOfItsOwn() throws Exception {
        c.call("SET", "n", "5");
        assertThat(c.call("OBJECT", "REFCOUNT", "n")).isEqualTo(":2147483647\r\n");
        assertThat(c.call("COPY", "n", "m")).isEqualTo(":1\r\n");
        assertThat(c.call("OBJECT", "REFCOUNT", "m")).isEqualTo(":1\r\n");
        assertThat(c.call("OBJECT", "ENCODING", "m")).isEqualTo(bulk("int"));
        assertThat(c.call("RENAME", "n", "r")).isEqualTo("+OK\r\n");
        assertThat(c.call("OBJECT", "REFCOUNT", "r")).isEqualTo(":2147483647\r\n");
    }

    @Test
    void swapdb() throws Exception {
        c.call("SET", "in0", "zero");
        assertThat(c.call("SWAPDB", "x", "1")).isEqualTo("-ERR invalid first DB index\r\n");
        assertThat(c.call("SWAPDB", "0", "x")).isEqualTo("-ERR invalid second DB index\r\n");
        assertThat(c.call("SWAPDB", "99999999999", "1")).isEqualTo("-ERR invalid first DB index\r\n");
        assertThat(c.call("SWAPDB", "0", "16")).isEqualTo("-ERR DB index is out of range\r\n");
        assertThat(c.call("SWAPDB", "-1", "0")).isEqualTo("-ERR DB index is out of range\r\n");
        assertThat(c.call("SWAPDB", "0", "0")).isEqualTo("+OK\r\n");
        assertThat(c.call("SWAPDB", "0", "3")).isEqualTo("+OK\r\n");
        assertThat(c.call("EXISTS", "in0")).isEqualTo(":0\r\n");
        c.call("SELECT", "3");
        assertThat(c.call("GET", "in0")).isEqualTo(bulk("zero"));
        assertThat(c.call("SWAPDB", "0")).isEqualTo("-ERR wrong number of arguments for 'swapdb' command\r\n");
    }

    @Test
    void objectEncodingRefcountIdletime() throws Exception {
        c.call("SET", "int", "12345");
        c.call("SET", "bigint", "1234567890123");
        c.call("SET", "emb", "x".repeat(44));
        c.call("SET", "raw", "x".repeat(45));
        c.call("SET", "app", "a");
        c.call("APPEND", "app", "b");
        assertThat(c.call("OBJECT", "ENCODING", "int")).isEqualTo(bulk("int"));
        assertThat(c.call("OBJECT", "ENCODING", "bigint")).isEqualTo(bulk("int"));
        assertThat(c.call("OBJECT", "ENCODING", "emb")).isEqualTo(bulk("embstr"));
        assertThat(c.call("OBJECT", "encoding", "raw")).isEqualTo(bulk("raw"));
        assertThat(c.call("object", "Encoding", "app")).isEqualTo(bulk("raw"));
        assertThat(c.call("OBJECT", "ENCODING", "missing")).isEqualTo("$-1\r\n");
        c.call("SET", "shared", "100");
        assertThat(c.call("OBJECT", "REFCOUNT", "shared")).isEqualTo(":2147483647\r\n");
        assertThat(c.call("OBJECT", "REFCOUNT", "int")).isEqualTo(":1\r\n");
        assertThat(c.call("OBJECT", "REFCOUNT", "emb")).isEqualTo(":1\r\n");
        assertThat(c.call("OBJECT", "REFCOUNT", "missing")).isEqualTo("$-1\r\n");
        assertThat(c.call("OBJECT", "IDLETIME", "emb")).isIn(":0\r\n", ":1\r\n");
        assertThat(c.call("OBJECT", "IDLETIME", "missing")).isEqualTo("$-1\r\n");
    }

    @Test
    void objectFreqAndIdletimeDependOnThePolicy() throws Exception {
        c.call("SET", "k", "v");
        String noLfu = "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when "
                + "switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n";
        assertThat(c.call("OBJECT", "FREQ", "k")).isEqualTo(noLfu);
        assertThat(c.call("OBJECT", "FREQ", "missing")).isEqualTo("$-1\r\n");
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        assertThat(c.call("OBJECT", "IDLETIME", "k")).isEqualTo("-ERR An LFU maxmemory policy is selected, idle time not "
                + "tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n");
        assertThat(c.call("OBJECT", "FREQ", "k")).startsWith(":"); // an LRU clock read as LFU (Redis too): any count
    }

    @Test
    void objectHelpAndErrors() throws Exception {
        String help = c.call("OBJECT", "HELP");
        assertThat(help).isEqualTo("*15\r\n"
                + "+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+ENCODING <key>\r\n"
                + "+    Return the kind of internal representation used in order to store the value\r\n"
                + "+    associated with a <key>.\r\n"
                + "+FREQ <key>\r\n"
                + "+    Return the access frequency index of the <key>. The returned integer is\r\n"
                + "+    proportional to the logarithm of the recent access frequency of the key.\r\n"
                + "+IDLETIME <key>\r\n"
                + "+    Return the idle time of the <key>, that is the approximated number of\r\n"
                + "+    seconds elapsed since the last access to the key.\r\n"
                + "+REFCOUNT <key>\r\n"
                + "+    Return the number of references of the value associated with the specified\r\n"
                + "+    <key>.\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n");
        assertThat(c.call("object", "help")).startsWith("*15\r\n+OBJECT <subcommand>");
        assertThat(c.call("OBJECT")).isEqualTo("-ERR wrong number of arguments for 'object' command\r\n");
        assertThat(c.call("OBJECT", "ENCODING")).isEqualTo("-ERR wrong number of arguments for 'object|encoding' command\r\n");
        assertThat(c.call("OBJECT", "ENCODING", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'object|encoding' command\r\n");
        assertThat(c.call("OBJECT", "HELP", "x")).isEqualTo("-ERR wrong number of arguments for 'object|help' command\r\n");
        assertThat(c.call("OBJECT", "FOO", "k")).isEqualTo("-ERR unknown subcommand 'FOO'. Try OBJECT HELP.\r\n");
    }

    @Test
    void objectDoesNotTouchTheKey() throws Exception {
        c.call("SET", "k", "v");
        Server s = server.server();
        // Age the key's access clock by 100 s, then look at it through OBJECT and TYPE.
        s.lock().lock();
        try {
            var db = s.keyspace().db(0);
            int old = db.clockOf("k".getBytes()) - 100;
            db.set("k".getBytes(), "v".getBytes(), (long) old * 1000);
        } finally {
            s.lock().unlock();
        }
        assertThat(c.call("OBJECT", "IDLETIME", "k")).isIn(":100\r\n", ":101\r\n");
        c.call("TYPE", "k");
        c.call("EXISTS", "k");
        c.call("TTL", "k");
        c.call("OBJECT", "ENCODING", "k");
        assertThat(c.call("OBJECT", "IDLETIME", "k")).isIn(":100\r\n", ":101\r\n");
        c.call("GET", "k");
        assertThat(c.call("OBJECT", "IDLETIME", "k")).isEqualTo(":0\r\n");
    }

    @Test
    void flushdbAndFlushall() throws Exception {
        c.call("SET", "a", "1");
        c.call("SELECT", "1");
        c.call("SET", "b", "1");
        assertThat(c.call("FLUSHDB", "ASYNC")).isEqualTo("+OK\r\n");
        assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
        c.call("SELECT", "0");
        assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n");
        assertThat(c.call("FLUSHALL", "FOO")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("FLUSHALL", "SYNC")).isEqualTo("+OK\r\n");
        assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
    }
}
