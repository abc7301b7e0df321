package dev.keydb.server.aof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.server.RawConnection;
import dev.keydb.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AofSmokeScratchTest {
    @Test
    void restart() throws Exception {
        Path dir = Files.createTempDirectory("aofsmoke");
        String digest;
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             RawConnection c = new RawConnection(s.port())) {
            c.call("SET", "a", "1");
            c.call("SET", "b", "2", "EX", "100");
            c.call("INCRBYFLOAT", "f", "1.5");
            c.call("RPUSH", "l", "x", "y");
            c.call("SELECT", "3");
            c.call("SADD", "s", "m");
            digest = c.call("DEBUG", "DIGEST");
        }
        Files.list(dir.resolve("appendonlydir")).forEach(p -> { try { System.out.println(p + "\n" + Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1)); } catch (Exception e) { } });
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(digest);
        }
    }
}
