package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.FunctionRestorePolicy;
import redis.clients.jedis.exceptions.JedisDataException;

/** KeyDB's extras (OBJECT LASTMODIFIED, nested hashes, KEYDB.CRON) and FUNCTION DUMP/RESTORE, on the wire. */
class KeyDbExtrasTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static final String LIB = "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return args[1] end)";
    private static final String LIB2 = "#!lua name=lib2\nredis.register_function('f2', function(keys, args) return 2 end)";

    @Test
    void objectLastmodifiedCountsSecondsSinceTheLastWrite() throws Exception {
        try (RawConnection c = server.connectFlushed()) {
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).isEqualTo("$-1\r\n");
            c.call("SET", "k", "v");
            c.call("RPUSH", "l", "a");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).isEqualTo(":0\r\n");
            Thread.sleep(2100);
            // Reads do not count as writes.
            c.call("GET", "k");
            c.call("LRANGE", "l", "0", "-1");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).isIn(":2\r\n", ":3\r\n");
            c.call("APPEND", "k", "w");
            c.call("LPUSH", "l", "b");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "k")).isEqualTo(":0\r\n");
            assertThat(c.call("OBJECT", "LASTMODIFIED", "l")).isEqualTo(":0\r\n");
            assertThat(c.call("OBJECT", "LASTMODIFIED")).isEqualTo("-ERR wrong number of arguments for 'object|lastmodified' command\r\n");
        }
    }

    @Test
    void functionDumpRestoresOnARealRedisAndBack() throws Exception {
        try (RealRedis redis = RealRedis.start();
             Jedis real = new Jedis("127.0.0.1", redis.port());
             Jedis ours = new Jedis("127.0.0.1", server.port())) {
            ours.functionFlush();
            real.functionLoad(LIB);
            byte[] fromRedis = real.functionDump();
            ours.functionLoad(LIB);
            // Same bytes: same RDB string encoding (LZF included), version and CRC64.
            assertThat(ours.functionDump()).isEqualTo(fromRedis);

            ours.functionFlush();
            assertThat(ours.functionRestore(fromRedis)).isEqualTo("OK");
            assertThat(ours.fcall("f1", java.util.List.of(), java.util.List.of("hi"))).isEqualTo("hi");

            ours.functionLoad(LIB2);
            byte[] fromUs = ours.functionDump();
            real.functionFlush();
            assertThat(real.functionRestore(fromUs)).isEqualTo("OK");
            assertThat(real.fcall("f2", java.util.List.of(), java.util.List.of())).isEqualTo(2L);
            assertThat(real.functionList()).hasSize(2);
        }
    }

    @Test
    void functionRestorePolicies() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.functionFlush();
            j.functionLoad(LIB);
            byte[] one = j.functionDump();
            // APPEND (the default) refuses a library that exists; nothing changes.
            assertThatThrownBy(() -> j.functionRestore(one)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR Library lib1 already exists");
            assertThat(j.functionRestore(one, FunctionRestorePolicy.REPLACE)).isEqualTo("OK");
            j.functionLoad(LIB2);
            assertThat(j.functionRestore(one, FunctionRestorePolicy.FLUSH)).isEqualTo("OK");
            assertThat(j.functionList()).hasSize(1);
            assertThat(j.fcall("f1", java.util.List.of(), java.util.List.of("x"))).isEqualTo("x");
            // A library whose function name is taken by another library collides.
            j.functionFlush();
            j.functionLoad("#!lua name=other\nredis.register_function('f1', function() return 0 end)");
            assertThatThrownBy(() -> j.functionRestore(one, FunctionRestorePolicy.REPLACE)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR Function f1 already exists");
            assertThat(j.fcall("f1", java.util.List.of(), java.util.List.of())).isEqualTo(0L);
            // An empty payload under FLUSH deletes everything.
            j.functionFlush();
            byte[] empty = j.functionDump();
            assertThat(empty).hasSize(10);
            j.functionLoad(LIB);
            assertThat(j.functionRestore(empty, FunctionRestorePolicy.FLUSH)).isEqualTo("OK");
            assertThat(j.functionList()).isEmpty();
            // A key's DUMP payload is not a function payload.
            j.set("k", "v");
            byte[] keyDump = j.dump("k");
            assertThatThrownBy(() -> j.functionRestore(keyDump)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR given type is not a function");
        }
    }
}
