package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** BZPOPMIN/BZPOPMAX/BZMPOP wake up when another client creates the sorted set. */
class BlockingZSetTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void zaddWakesBzpopmin() throws Exception {
        try (RawConnection waiter = new RawConnection(server.port()); RawConnection writer = new RawConnection(server.port())) {
            waiter.command("BZPOPMIN", "zq", "5");
            assertThat(PubSubTest.waitFor(() -> writer.call("INFO", "clients").contains("blocked_clients:1"))).isTrue();
            writer.call("ZADD", "zq", "2", "two", "1", "one");
            assertThat(waiter.readReply()).isEqualTo("*3\r\n$2\r\nzq\r\n$3\r\none\r\n$1\r\n1\r\n");
            assertThat(writer.call("ZCARD", "zq")).isEqualTo(":1\r\n");
        }
    }

    @Test
    void storeCommandsWakeBzmpop() throws Exception {
        try (RawConnection waiter = new RawConnection(server.port()); RawConnection writer = new RawConnection(server.port())) {
            writer.call("ZADD", "src", "1", "a", "2", "b");
            waiter.command("BZMPOP", "5", "1", "dst", "MAX", "COUNT", "5");
            assertThat(PubSubTest.waitFor(() -> writer.call("INFO", "clients").contains("blocked_clients:1"))).isTrue();
            writer.call("ZUNIONSTORE", "dst", "1", "src");
            assertThat(waiter.readReply()).isEqualTo("*2\r\n$3\r\ndst\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
        }
    }

    @Test
    void timeoutGivesNull() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.call("BZPOPMAX", "nothing", "0.05")).isEqualTo("*-1\r\n");
        }
    }
}
