package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MONITOR lines: the byte-level formatter against sdscatrepr's rules, and commands run by scripts. */
class MonitorLineTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final Pattern LINE = Pattern.compile("^\\+(\\d+)\\.(\\d{6}) \\[(\\d+) ([^\\]]+)\\] (.*)\r\n$");

    /** Redis's sdscatrepr, written the plain way, as the reference for the formatter. */
    private static String reference(byte[] s) {
        StringBuilder b = new StringBuilder("\"");
        for (byte x : s) {
            int c = x & 0xFF;
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        b.append((char) c);
                    } else {
                        b.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Test
    void everyByteIsEscapedAsSdscatrepr() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] big = new byte[5000]; // longer than the reused buffer: it grows
        java.util.Arrays.fill(big, (byte) 0xfe);
        byte[][] argv = {"SET".getBytes(StandardCharsets.US_ASCII), all, new byte[0], big};
        String line = new String(Monitors.line(12, "10.0.0.1:5", argv), StandardCharsets.ISO_8859_1);
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).isTrue();
        assertThat(m.group(3)).isEqualTo("12");
        assertThat(m.group(4)).isEqualTo("10.0.0.1:5");
        assertThat(m.group(5)).isEqualTo("\"SET\" " + reference(all) + " \"\" " + reference(big));
        long now = System.currentTimeMillis() / 1000;
        assertThat(Long.parseLong(m.group(1))).isBetween(now - 10, now + 1);
        assertThat(Monitors.line(0, null, new byte[][] {"PING".getBytes(StandardCharsets.US_ASCII)}))
                .asString(StandardCharsets.ISO_8859_1).matches("\\+\\d+\\.\\d{6} \\[0 lua\\] \"PING\"\r\n");
    }

    /**
     * EVAL, EVALSHA and FCALL are flagged skip_monitor and feed themselves before running (as
     * Redis 7.0's evalCommand), even when they fail; the script's commands follow as "lua".
     */
    @Test
    void scriptLineComesFirstThenItsCommandsAsLua() throws IOException {
        try (RawConnection mon = new RawConnection(server.port()); RawConnection c = new RawConnection(server.port())) {
            assertThat(mon.call("MONITOR")).isEqualTo("+OK\r\n");
            assertThat(c.call("EVAL", "return redis.call('SET', KEYS[1], ARGV[1])", "1", "mk", "a\u0001")).isEqualTo("+OK\r\n");
            assertThat(c.call("EVALSHA", "0123456789012345678901234567890123456789", "0")).startsWith("-NOSCRIPT");
            assertThat(c.call("FCALL", "nosuch", "0")).startsWith("-ERR");
            String[] expected = {
                "\"EVAL\" \"return redis.call('SET', KEYS[1], ARGV[1])\" \"1\" \"mk\" \"a\\x01\"",
                "\"SET\" \"mk\" \"a\\x01\"",
                "\"EVALSHA\" \"0123456789012345678901234567890123456789\" \"0\"",
                "\"FCALL\" \"nosuch\" \"0\""};
            for (int i = 0; i < expected.length; i++) {
                Matcher m = LINE.matcher(mon.readReply());
                assertThat(m.matches()).isTrue();
                assertThat(m.group(5)).isEqualTo(expected[i]);
                if (i == 1) {
                    assertThat(m.group(4)).isEqualTo("lua");
                } else {
                    assertThat(m.group(4)).isNotEqualTo("lua");
                }
            }
        }
    }
}
