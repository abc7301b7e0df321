package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** KeyDB's EXPIREMEMBER family on sets, hashes and sorted sets. */
class ExpireMemberTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    @Test
    void repliesAndErrorsAsKeyDb() throws Exception {
        c.call("SADD", "s", "a", "b");
        assertThat(c.call("EXPIREMEMBER", "s", "a", "100")).isEqualTo(":1\r\n");
        assertThat(c.call("TTL", "s", "a")).isEqualTo(":100\r\n");
        assertThat(c.call("TTL", "s", "b")).isEqualTo(":-1\r\n");
        assertThat(c.call("TTL", "s")).isEqualTo(":-1\r\n");
        assertThat(c.call("TTL", "missing", "a")).isEqualTo(":-2\r\n");
        assertThat(c.call("EXPIREMEMBER", "s", "nosuch", "10")).isEqualTo(":0\r\n");
        assertThat(c.call("EXPIREMEMBER", "missing", "a", "10")).isEqualTo(":0\r\n");
        assertThat(c.call("EXPIREMEMBER", "s", "a", "5000", "ms")).isEqualTo(":1\r\n");
        assertThat(c.call("PTTL", "s", "a")).matches(":(4\\d{3}|5000)\r\n");
        assertThat(c.call("EXPIREMEMBER", "s", "a", "10", "h")).isEqualTo("-ERR Invalid unit arg\r\n");
        assertThat(c.call("EXPIREMEMBER", "s", "a", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(c.call("EXPIREMEMBER", "s", "a", "10", "s", "extra")).isEqualTo("-ERR Invalid number of arguments\r\n");
        c.call("SET", "str", "x");
        assertThat(c.call("EXPIREMEMBER", "str", "a", "10")).isEqualTo("-ERR object type is unsupported\r\n");
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertThat(c.call("EXPIREMEMBERAT", "s", "b", Long.toString(at))).isEqualTo(":1\r\n");
        assertThat(c.call("PEXPIREMEMBERAT", "s", "b", Long.toString(at * 1000))).isEqualTo(":1\r\n");
        assertThat(c.call("TTL", "s", "b", "extra")).isEqualTo("-ERR wrong number of arguments for 'ttl' command\r\n");
    }

    @Test
    void membersDisappearLazilyWhenDue() throws Exception {
        c.call("HSET", "h", "f1", "v1", "f2", "v2");
        c.call("ZADD", "z", "1", "m1", "2", "m2");
        assertThat(c.call("EXPIREMEMBER", "h", "f1", "50", "ms")).isEqualTo(":1\r\n");
        assertThat(c.call("EXPIREMEMBER", "z", "m2", "50", "ms")).isEqualTo(":1\r\n");
        Thread.sleep(120);
        assertThat(c.call("HGETALL", "h")).isEqualTo("*2\r\n$2\r\nf2\r\n$2\r\nv2\r\n");
        assertThat(c.call("ZRANGE", "z", "0", "-1")).isEqualTo("*1\r\n$2\r\nm1\r\n");
    }

    @Test
    void activeCycleReclaimsMembersWithoutAccessAndDeletesEmptiedKeys() throws Exception {
        c.call("SADD", "only", "x");
        c.call("SADD", "keep", "x", "y");
        c.call("EXPIREMEMBER", "only", "x", "50", "ms");
        c.call("EXPIREMEMBER", "keep", "x", "50", "ms");
        boolean reclaimed = PubSubTest.waitFor(() -> {
            server.server().lock().lock();
            try {
                return server.server().keyspace().db(0).keysWithMemberExpiry() == 0;
            } finally {
                server.server().lock().unlock();
            }
        });
        assertThat(reclaimed).isTrue();
        assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n");
        assertThat(c.call("SMEMBERS", "keep")).isEqualTo("*1\r\n$1\r\ny\r\n");
    }

    @Test
    void overwritingOrDeletingTheKeyDropsMemberTtls() throws Exception {
        c.call("SADD", "s", "a");
        c.call("EXPIREMEMBER", "s", "a", "100");
        c.call("DEL", "s");
        c.call("SADD", "s", "a");
        assertThat(c.call("TTL", "s", "a")).isEqualTo(":-1\r\n");
    }
}
