package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Geo commands over the wire: keyspace events, WATCH and key positions (what replies alone do not show). */
class GeoCommandsTest {
    static TestServer server;
    RawConnection c;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connect() throws Exception {
        c = new RawConnection(server.port());
        c.call("FLUSHALL");
    }

    @Test
    void writesFireRedisKeyspaceEvents() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try (RawConnection sub = new RawConnection(server.port())) {
            sub.call("PSUBSCRIBE", "__keyevent@0__:*");
            c.call("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
            c.call("GEOADD", "g", "13.361389", "38.115556", "Palermo"); // unchanged: no event
            c.call("GEOADD", "g", "XX", "1", "1", "nope"); // nothing added: no event
            c.call("GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km");
            c.call("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d2");
            c.call("GEORADIUS", "g", "0", "0", "1", "km", "STOREDIST", "d2"); // empty result deletes d2
            c.call("GEORADIUS", "g", "0", "0", "1", "km", "STOREDIST", "d2"); // nothing to delete: no event
            c.call("GEOSEARCHSTORE", "d", "nokey", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km");
            c.call("PUBLISH", "__keyevent@0__:end", "x");
            List<String> events = new ArrayList<>();
            while (true) {
                String m = sub.readReply();
                String[] parts = m.split("\r\n");
                String channel = parts[6];
                if (channel.endsWith(":end")) {
                    break;
                }
                events.add(channel.substring("__keyevent@0__:".length()) + " " + parts[8]);
            }
            assertThat(events).containsExactly("zadd g", "geosearchstore d", "georadiusstore d2", "del d2", "del d");
        } finally {
            c.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Test
    void geoaddInvalidatesWatch() throws Exception {
        try (RawConnection other = new RawConnection(server.port())) {
            c.call("GEOADD", "g", "1", "1", "a");
            c.call("WATCH", "g");
            other.call("GEOADD", "g", "2", "2", "a");
            c.call("MULTI");
            c.call("GEOPOS", "g", "a");
            assertThat(c.call("EXEC")).isEqualTo("*-1\r\n");
            c.call("WATCH", "g");
            other.call("GEOADD", "g", "2", "2", "a"); // same position: not a change
            c.call("MULTI");
            c.call("GEOHASH", "g", "a");
            assertThat(c.call("EXEC")).isEqualTo("*1\r\n*1\r\n$11\r\ns037ms06g70\r\n");
        }
    }

    @Test
    void storeKeysAreKeyArguments() throws Exception {
        assertThat(c.call("COMMAND", "GETKEYS", "GEORADIUS", "src", "1", "2", "3", "km", "STORE", "dst"))
                .isEqualTo("*2\r\n$3\r\nsrc\r\n$3\r\ndst\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "src", "m", "3", "km", "STOREDIST", "dst"))
                .isEqualTo("*2\r\n$3\r\nsrc\r\n$3\r\ndst\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "GEOSEARCHSTORE", "dst", "src", "FROMMEMBER", "m", "BYRADIUS", "1", "km"))
                .isEqualTo("*2\r\n$3\r\ndst\r\n$3\r\nsrc\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "GEORADIUS_RO", "src", "1", "2", "3", "km"))
                .isEqualTo("*1\r\n$3\r\nsrc\r\n");
    }
}
