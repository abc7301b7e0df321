package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WATCH over collections: a write by another client that changes a watched list, hash, set or
 * sorted set aborts the transaction (EXEC answers null); a write that changes nothing (adding
 * a member already there, removing one that is not) leaves it alone, as in Redis.
 */
class CollectionWatchTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection a;
    RawConnection b;

    @BeforeEach
    void connect() throws Exception {
        a = new RawConnection(server.port());
        b = new RawConnection(server.port());
        a.call("FLUSHALL");
    }

    @AfterEach
    void disconnect() throws Exception {
        a.close();
        b.close();
    }

    /** A WATCHes {@code key}, B runs {@code write}, A runs a transaction: true when EXEC ran it. */
    private boolean execSurvives(String key, String... write) throws IOException {
        assertThat(a.call("WATCH", key)).isEqualTo("+OK\r\n");
        assertThat(b.call(write)).doesNotStartWith("-");
        assertThat(a.call("MULTI")).isEqualTo("+OK\r\n");
        assertThat(a.call("PING")).isEqualTo("+QUEUED\r\n");
        String exec = a.call("EXEC");
        if (exec.equals("*-1\r\n")) {
            return false;
        }
        assertThat(exec).isEqualTo("*1\r\n+PONG\r\n");
        return true;
    }

    @Test
    void listWrites() throws Exception {
        b.call("RPUSH", "l", "a", "b", "c");
        assertThat(execSurvives("l", "RPUSH", "l", "x")).isFalse();
        assertThat(execSurvives("l", "LPOP", "l")).isFalse();
        assertThat(execSurvives("l", "LSET", "l", "0", "y")).isFalse();
        assertThat(execSurvives("l", "LINSERT", "l", "BEFORE", "y", "z")).isFalse();
        assertThat(execSurvives("l", "LREM", "l", "0", "z")).isFalse();
        assertThat(execSurvives("l", "LMOVE", "other", "l", "LEFT", "LEFT")).isTrue(); // empty source: no-op
        b.call("RPUSH", "other", "o");
        assertThat(execSurvives("l", "LMOVE", "other", "l", "LEFT", "LEFT")).isFalse();
        assertThat(execSurvives("l", "LMOVE", "l", "other", "LEFT", "LEFT")).isFalse();
        // No-ops: a failed insert, nothing removed, a push to a missing key with LPUSHX.
        assertThat(execSurvives("l", "LINSERT", "l", "BEFORE", "nosuch", "z")).isTrue();
        assertThat(execSurvives("l", "LREM", "l", "0", "nosuch")).isTrue();
        assertThat(execSurvives("l", "LPUSHX", "nolist", "x")).isTrue();
        assertThat(execSurvives("l", "LLEN", "l")).isTrue();
        assertThat(execSurvives("l", "LTRIM", "l", "1", "0")).isFalse();
        assertThat(b.call("EXISTS", "l")).isEqualTo(":0\r\n");
    }

    @Test
    void hashWrites() throws Exception {
        b.call("HSET", "h", "f", "1");
        assertThat(execSurvives("h", "HSET", "h", "g", "2")).isFalse();
        assertThat(execSurvives("h", "HINCRBY", "h", "f", "1")).isFalse();
        assertThat(execSurvives("h", "HINCRBYFLOAT", "h", "f", "1.5")).isFalse();
        assertThat(execSurvives("h", "HSETNX", "h", "n", "1")).isFalse();
        assertThat(execSurvives("h", "HDEL", "h", "g")).isFalse();
        // No-ops: HSETNX on an existing field, HDEL of a missing field.
        assertThat(execSurvives("h", "HSETNX", "h", "f", "9")).isTrue();
        assertThat(execSurvives("h", "HDEL", "h", "nosuch")).isTrue();
        assertThat(execSurvives("h", "HGET", "h", "f")).isTrue();
    }

    @Test
    void setWrites() throws Exception {
        b.call("SADD", "s", "a", "b", "c");
        assertThat(execSurvives("s", "SADD", "s", "d")).isFalse();
        assertThat(execSurvives("s", "SREM", "s", "d")).isFalse();
        assertThat(execSurvives("s", "SPOP", "s")).isFalse();
        assertThat(execSurvives("s", "SMOVE", "other", "s", "x")).isTrue(); // missing source
        b.call("SADD", "other", "x");
        assertThat(execSurvives("s", "SMOVE", "other", "s", "x")).isFalse();
        assertThat(execSurvives("s", "SUNIONSTORE", "s", "s", "other")).isFalse();
        // No-ops: SADD of a member already there, SREM of a missing one, SMOVE of a missing member,
        // SMOVE onto the same set.
        assertThat(execSurvives("s", "SADD", "s", "x")).isTrue();
        assertThat(execSurvives("s", "SREM", "s", "nosuch")).isTrue();
        assertThat(execSurvives("s", "SMOVE", "s", "other", "nosuch")).isTrue();
        assertThat(execSurvives("s", "SMOVE", "s", "s", "x")).isTrue();
        // SMOVE of a member the destination already holds changes only the source.
        b.call("SADD", "other", "x");
        assertThat(execSurvives("s", "SMOVE", "other", "s", "x")).isTrue();
        assertThat(execSurvives("other", "SADD", "other", "x")).isFalse();
        assertThat(execSurvives("s", "SDIFFSTORE", "s", "s", "s")).isFalse();
        assertThat(b.call("EXISTS", "s")).isEqualTo(":0\r\n");
        assertThat(execSurvives("s", "SINTERSTORE", "s", "nosuch", "other")).isTrue(); // nothing to delete
    }

    @Test
    void zsetWrites() throws Exception {
        b.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertThat(execSurvives("z", "ZADD", "z", "5", "a")).isFalse();
        assertThat(execSurvives("z", "ZINCRBY", "z", "1", "a")).isFalse();
        assertThat(execSurvives("z", "ZREM", "z", "a")).isFalse();
        assertThat(execSurvives("z", "ZPOPMIN", "z")).isFalse();
        assertThat(execSurvives("z", "ZREMRANGEBYSCORE", "z", "3", "3")).isFalse();
        assertThat(execSurvives("z", "ZUNIONSTORE", "z", "1", "z")).isFalse();
        // No-ops: the same score again, an increment of 0, removing a missing member, an empty range.
        assertThat(execSurvives("z", "ZADD", "z", "1", "zz")).isFalse();
        assertThat(execSurvives("z", "ZADD", "z", "1", "zz")).isTrue();
        assertThat(execSurvives("z", "ZADD", "z", "GT", "0", "zz")).isTrue();
        assertThat(execSurvives("z", "ZINCRBY", "z", "0", "zz")).isTrue();
        assertThat(execSurvives("z", "ZREM", "z", "nosuch")).isTrue();
        assertThat(execSurvives("z", "ZREMRANGEBYRANK", "z", "10", "20")).isTrue();
        assertThat(execSurvives("z", "ZPOPMAX", "z", "0")).isTrue();
        assertThat(execSurvives("z", "ZRANGESTORE", "z", "nosuch", "0", "-1")).isFalse();
        assertThat(b.call("EXISTS", "z")).isEqualTo(":0\r\n");
    }
}
