package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** EXPIRE and friends, TTL queries, PERSIST, lazy and active expiry over the wire. */
class ExpireCommandsTest {
    /** 2033-05-18T03:33:20Z, far enough ahead for every test run. */
    private static final long FUTURE_S = 2_000_000_000L;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    @AfterEach
    void disconnect() throws Exception {
        c.close();
    }

    @Test
    void ttlOfMissingAndPersistentKeys() throws Exception {
        assertThat(c.call("TTL", "missing")).isEqualTo(":-2\r\n");
        assertThat(c.call("PTTL", "missing")).isEqualTo(":-2\r\n");
        assertThat(c.call("EXPIRETIME", "missing")).isEqualTo(":-2\r\n");
        assertThat(c.call("PEXPIRETIME", "missing")).isEqualTo(":-2\r\n");
        c.call("SET", "k", "v");
        assertThat(c.call("TTL", "k")).isEqualTo(":-1\r\n");
        assertThat(c.call("PTTL", "k")).isEqualTo(":-1\r\n");
        assertThat(c.call("EXPIRETIME", "k")).isEqualTo(":-1\r\n");
        assertThat(c.call("PEXPIRETIME", "k")).isEqualTo(":-1\r\n");
    }

    @Test
    void expireFamilySetsTheTtl() throws Exception {
        c.call("SET", "k", "v");
        assertThat(c.call("EXPIRE", "k", "100")).isEqualTo(":1\r\n");
        assertThat(c.call("TTL", "k")).isEqualTo(":100\r\n");
        assertThat(Long.parseLong(c.call("PTTL", "k").trim().substring(1))).isBetween(99_000L, 100_000L);
        assertThat(c.call("PEXPIRE", "k", "50000")).isEqualTo(":1\r\n");
        assertThat(c.call("TTL", "k")).isEqualTo(":50\r\n");
        assertThat(c.call("EXPIREAT", "k", Long.toString(FUTURE_S))).isEqualTo(":1\r\n");
        assertThat(c.call("EXPIRETIME", "k")).isEqualTo(":" + FUTURE_S + "\r\n");
        assertThat(c.call("PEXPIRETIME", "k")).isEqualTo(":" + FUTURE_S * 1000 + "\r\n");
        assertThat(c.call("PEXPIREAT", "k", Long.toString(FUTURE_S * 1000 + 499))).isEqualTo(":1\r\n");
        assertThat(c.call("PEXPIRETIME", "k")).isEqualTo(":" + (FUTURE_S * 1000 + 499) + "\r\n");
        assertThat(c.call("EXPIRETIME", "k")).isEqualTo(":" + FUTURE_S + "\r\n"); // (ms + 500) / 1000
        c.call("PEXPIREAT", "k", Long.toString(FUTURE_S * 1000 + 500));
        assertThat(c.call("EXPIRETIME", "k")).isEqualTo(":" + (FUTURE_S + 1) + "\r\n");
        assertThat(c.call("EXPIRE", "missing", "100")).isEqualTo(":0\r\n");
        assertThat(c.call("PEXPIREAT", "missing", "1")).isEqualTo(":0\r\n");
    }

    @Test
    void pastTimesDeleteTheKeyAndReplyOne() throws Exception {
        for (String[] cmd : new String[][] {
                {"EXPIRE", "k", "0"}, {"EXPIRE", "k", "-10"}, {"PEXPIRE", "k", "-1"},
                {"EXPIREAT", "k", "1"}, {"PEXPIREAT", "k", "0"}, {"EXPIRE", "k", "-9223372036854775"}}) {
            c.call("SET", "k", "v");
            assertThat(c.call(cmd)).as(String.join(" ", cmd)).isEqualTo(":1\r\n");
            assertThat(c.call("EXISTS", "k")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void overflowIsAnInvalidExpireTime() throws Exception {
        c.call("SET", "k", "v");
        assertThat(c.call("EXPIRE", "k", "9223372036854775807")).isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
        assertThat(c.call("EXPIRE", "k", "-9223372036854776")).isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
        assertThat(c.call("PEXPIRE", "k", "9223372036854775807")).isEqualTo("-ERR invalid expire time in 'pexpire' command\r\n");
        assertThat(c.call("EXPIREAT", "k", "9223372036854776")).isEqualTo("-ERR invalid expire time in 'expireat' command\r\n");
        assertThat(c.call("PEXPIREAT", "k", "9223372036854775807")).isEqualTo(":1\r\n"); // absolute: no addition
        assertThat(c.call("EXPIRE", "k", "abc")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(c.call("EXPIRE", "k", "1.5")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        // The overflow check precedes the key lookup, as Redis.
        assertThat(c.call("EXPIRE", "missing", "9223372036854775807")).isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
    }

    @Test
    void nxXxGtLt() throws Exception {
        c.call("SET", "k", "v");
        assertThat(c.call("EXPIRE", "k", "100", "XX")).isEqualTo(":0\r\n");
        assertThat(c.call("EXPIRE", "k", "100", "GT")).isEqualTo(":0\r\n"); // no TTL is infinite
        assertThat(c.call("EXPIRE", "k", "100", "NX")).isEqualTo(":1\r\n");
        assertThat(c.call("EXPIRE", "k", "200", "NX")).isEqualTo(":0\r\n");
        assertThat(c.call("EXPIRE", "k", "200", "XX")).isEqualTo(":1\r\n");
        assertThat(c.call("EXPIRE", "k", "100", "GT")).isEqualTo(":0\r\n");
        assertThat(c.call("EXPIRE", "k", "300", "gt")).isEqualTo(":1\r\n");
        assertThat(c.call("EXPIRE", "k", "400", "LT")).isEqualTo(":0\r\n");
        assertThat(c.call("EXPIRE", "k", "50", "lt")).isEqualTo(":1\r\n");
        assertThat(c.call("TTL", "k")).isEqualTo(":50\r\n");
        assertThat(c.call("EXPIRE", "k", "60", "XX", "GT")).isEqualTo(":1\r\n");
        assertThat(c.call("EXPIRE", "k", "30", "XX", "GT")).isEqualTo(":0\r\n");
        assertThat(c.call("PERSIST", "k")).isEqualTo(":1\r\n");
        assertThat(c.call("EXPIRE", "k", "100", "LT")).isEqualTo(":1\r\n"); // anything is less than infinite
        assertThat(c.call("TTL", "k")).isEqualTo(":100\r\n");
        assertThat(c.call("EXPIRE", "missing", "100", "NX")).isEqualTo(":0\r\n");
    }

    @Test
    void optionErrors() throws Exception {
        c.call("SET", "k", "v");
        String nx = "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
        assertThat(c.call("EXPIRE", "k", "10", "NX", "XX")).isEqualTo(nx);
        assertThat(c.call("EXPIRE", "k", "10", "NX", "GT")).isEqualTo(nx);
        assertThat(c.call("PEXPIRE", "k", "10", "LT", "NX")).isEqualTo(nx);
        assertThat(c.call("EXPIRE", "k", "10", "GT", "LT")).isEqualTo("-ERR GT and LT options at the same time are not compatible\r\n");
        assertThat(c.call("EXPIRE", "k", "10", "FOO")).isEqualTo("-ERR Unsupported option FOO\r\n");
        assertThat(c.call("EXPIRE", "k", "10", "NX", "bar")).isEqualTo("-ERR Unsupported option bar\r\n");
        // Options are parsed before the time argument.
        assertThat(c.call("EXPIRE", "k", "notanumber", "FOO")).isEqualTo("-ERR Unsupported option FOO\r\n");
        assertThat(c.call("EXPIRE", "k", "notanumber", "NX", "XX")).isEqualTo(nx);
        assertThat(c.call("EXPIRE", "k")).isEqualTo("-ERR wrong number of arguments for 'expire' command\r\n");
        assertThat(c.call("PEXPIREAT", "k")).isEqualTo("-ERR wrong number of arguments for 'pexpireat' command\r\n");
        assertThat(c.call("TTL")).isEqualTo("-ERR wrong number of arguments for 'ttl' command\r\n");
        // KeyDB: TTL/PTTL take an optional member (EXPIREMEMBER); a fourth word is the arity error.
        assertThat(c.call("PTTL", "a", "b", "c")).isEqualTo("-ERR wrong number of arguments for 'pttl' command\r\n");
        assertThat(c.call("EXPIRETIME")).isEqualTo("-ERR wrong number of arguments for 'expiretime' command\r\n");
        assertThat(c.call("PERSIST")).isEqualTo("-ERR wrong number of arguments for 'persist' command\r\n");
        assertThat(c.call("TTL", "k")).isEqualTo(":-1\r\n"); // nothing above changed the key
    }

    @Test
    void persistRemovesTheTtl() throws Exception {
        assertThat(c.call("PERSIST", "missing")).isEqualTo(":0\r\n");
        c.call("SET", "k", "v");
        assertThat(c.call("PERSIST", "k")).isEqualTo(":0\r\n");
        c.call("EXPIRE", "k", "100");
        assertThat(c.call("PERSIST", "k")).isEqualTo(":1\r\n");
        assertThat(c.call("TTL", "k")).isEqualTo(":-1\r\n");
    }

    @Test
    void setDropsTheTtlAndKeepttlKeepsIt() throws Exception {
        c.call("SET", "k", "v", "EX", "100");
        c.call("SET", "k", "w", "KEEPTTL");
        assertThat(c.call("TTL", "k")).isEqualTo(":100\r\n");
        c.call("SET", "k", "x");
        assertThat(c.call("TTL", "k")).isEqualTo(":-1\r\n");
    }

    @Test
    void lazyExpiryHidesTheKeyOnAccess() throws Exception {
        c.call("SET", "k", "v");
        assertThat(c.call("PEXPIRE", "k", "30")).isEqualTo(":1\r\n");
        assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        Thread.sleep(60);
        assertThat(c.call("TTL", "k")).isEqualTo(":-2\r\n");
        assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
        assertThat(c.call("EXISTS", "k")).isEqualTo(":0\r\n");
    }

    @Test
    void activeExpiryReclaimsKeysNobodyTouches() throws Exception {
        int volatileKeys = 500, persistent = 10;
        for (int i = 0; i < volatileKeys; i++) {
            c.command("SET", "v:" + i, "x", "PX", "100");
        }
        for (int i = 0; i < persistent; i++) {
            c.command("SET", "p:" + i, "x");
        }
        for (int i = 0; i < volatileKeys + persistent; i++) {
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
        }
        // Also in another database: the cycle visits every database.
        c.call("SELECT", "5");
        c.call("SET", "other", "x", "PX", "100");
        c.call("SELECT", "0");
        assertThat(c.call("DBSIZE")).isEqualTo(":" + (volatileKeys + persistent) + "\r\n");
        long deadline = System.nanoTime() + 5_000_000_000L;
        String size;
        do {
            Thread.sleep(50);
            size = c.call("DBSIZE"); // DBSIZE counts without looking keys up: only the active cycle lowers it
        } while (!size.equals(":" + persistent + "\r\n") && System.nanoTime() < deadline);
        assertThat(size).as("keys reclaimed by the active cycle within 5 s").isEqualTo(":" + persistent + "\r\n");
        c.call("SELECT", "5");
        deadline = System.nanoTime() + 5_000_000_000L;
        do {
            size = c.call("DBSIZE");
        } while (!size.equals(":0\r\n") && System.nanoTime() < deadline && sleep());
        assertThat(size).isEqualTo(":0\r\n");
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}
