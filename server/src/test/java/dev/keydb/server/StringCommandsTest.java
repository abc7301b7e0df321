package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** String commands over the wire: replies exactly as Redis 7 sends them. */
class StringCommandsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    @Test
    void setGetAndOptions() throws Exception {
        assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n");
        assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        assertThat(c.call("SET", "k", "w", "NX")).isEqualTo("$-1\r\n");
        assertThat(c.call("SET", "k", "w", "XX", "GET")).isEqualTo("$1\r\nv\r\n");
        assertThat(c.call("SET", "missing", "w", "XX")).isEqualTo("$-1\r\n");
        assertThat(c.call("SET", "k", "v", "NX", "XX")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("SET", "k", "v", "EX", "0")).isEqualTo("-ERR invalid expire time in 'set' command\r\n");
        assertThat(c.call("SET", "k", "v", "EX", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(c.call("SET", "k", "v", "KEEPTTL", "EX", "10")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("GET")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
    }

    @Test
    void integersAndOverflow() throws Exception {
        assertThat(c.call("INCR", "n")).isEqualTo(":1\r\n");
        assertThat(c.call("INCRBY", "n", "-11")).isEqualTo(":-10\r\n");
        assertThat(c.call("SET", "big", "9223372036854775807")).isEqualTo("+OK\r\n");
        assertThat(c.call("INCR", "big")).isEqualTo("-ERR increment or decrement would overflow\r\n");
        assertThat(c.call("SET", "s", "abc")).isEqualTo("+OK\r\n");
        assertThat(c.call("INCR", "s")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(c.call("DECRBY", "n", "-9223372036854775808")).isEqualTo("-ERR decrement would overflow\r\n");
        assertThat(c.call("SET", "f", "10.5")).isEqualTo("+OK\r\n");
        assertThat(c.call("INCRBYFLOAT", "f", "0.1")).isEqualTo("$4\r\n10.6\r\n");
        // Redis computes in x87 long double: 10.6 + 5000 prints with its binary residue.
        assertThat(c.call("INCRBYFLOAT", "f", "5.0e3")).isEqualTo("$22\r\n5010.60000000000000009\r\n");
    }

    @Test
    void appendRangesAndLength() throws Exception {
        assertThat(c.call("APPEND", "a", "Hello")).isEqualTo(":5\r\n");
        assertThat(c.call("APPEND", "a", " World")).isEqualTo(":11\r\n");
        assertThat(c.call("GETRANGE", "a", "0", "4")).isEqualTo("$5\r\nHello\r\n");
        assertThat(c.call("GETRANGE", "a", "-5", "-1")).isEqualTo("$5\r\nWorld\r\n");
        assertThat(c.call("GETRANGE", "a", "5", "1")).isEqualTo("$0\r\n\r\n");
        assertThat(c.call("SETRANGE", "a", "6", "Redis")).isEqualTo(":11\r\n");
        assertThat(c.call("GET", "a")).isEqualTo("$11\r\nHello Redis\r\n");
        assertThat(c.call("SETRANGE", "pad", "3", "x")).isEqualTo(":4\r\n");
        assertThat(c.call("GET", "pad")).isEqualTo("$4\r\n\0\0\0x\r\n");
        assertThat(c.call("STRLEN", "a")).isEqualTo(":11\r\n");
        assertThat(c.call("SETRANGE", "a", "-1", "x")).isEqualTo("-ERR offset is out of range\r\n");
    }

    @Test
    void multiKeyCommands() throws Exception {
        assertThat(c.call("MSET", "a", "1", "b", "2")).isEqualTo("+OK\r\n");
        assertThat(c.call("MGET", "a", "b", "c")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
        assertThat(c.call("MSETNX", "c", "3", "a", "9")).isEqualTo(":0\r\n");
        assertThat(c.call("MSETNX", "c", "3", "d", "4")).isEqualTo(":1\r\n");
        assertThat(c.call("MSET", "a", "1", "b")).isEqualTo("-ERR wrong number of arguments for 'mset' command\r\n");
    }

    @Test
    void lcsMatchesRedisExamples() throws Exception {
        c.call("MSET", "key1", "ohmytext", "key2", "mynewtext");
        assertThat(c.call("LCS", "key1", "key2")).isEqualTo("$6\r\nmytext\r\n");
        assertThat(c.call("LCS", "key1", "key2", "LEN")).isEqualTo(":6\r\n");
        assertThat(c.call("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")).isEqualTo(
                "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n");
    }
}
