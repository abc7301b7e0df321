package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fast paths of the Lua bridge: short strings read back from Lua as Java strings (only when
 * they are plain ASCII, else through Lua's memory), replies pushed straight from the reply
 * buffer, interned field names, and EVALSHA's memory of its last script.
 */
class ScriptBridgeTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String call(String... args) throws Exception {
        return server.call(args);
    }

    /** Every kind of string crosses redis.call and comes back unchanged (checked in Lua and by length). */
    @Test
    void argumentsOfEveryShapeRoundTrip() throws Exception {
        String script = "local vals = {'', 'a', 'a\\0b', '\\0', '\\195\\169', '\\255', '\\192\\128', 'x\\127y',"
                + " string.rep('a', 255), string.rep('b', 256), string.rep('c', 257), string.rep('\\200', 300),"
                + " string.rep('d', 256) .. '\\0', 'k' .. string.rep('\\1', 10)}\n"
                + "for i, v in ipairs(vals) do\n"
                + "  redis.call('set', KEYS[1], v)\n"
                + "  local got = redis.call('get', KEYS[1])\n"
                + "  if got ~= v then return 'mismatch at ' .. i end\n"
                + "  if redis.call('strlen', KEYS[1]) ~= #v then return 'length at ' .. i end\n"
                + "  if redis.call('echo', v) ~= v then return 'echo at ' .. i end\n"
                + "end\n"
                + "return #vals";
        assertThat(call("eval", script, "1", "bridge")).isEqualTo(":14\r\n");
    }

    @Test
    void numbersAsArgumentsAndReplies() throws Exception {
        assertThat(call("eval", "redis.call('set', KEYS[1], 3.5) return redis.call('get', KEYS[1])", "1", "num"))
                .isEqualTo("$3\r\n3.5\r\n");
        assertThat(call("eval", "return redis.call('incrby', KEYS[1], 10)", "1", "cnt")).isEqualTo(":10\r\n");
        assertThat(call("eval", "local r = redis.call('set', KEYS[1], 'v') return r.ok", "1", "st")).isEqualTo("$2\r\nOK\r\n");
        assertThat(call("eval", "local r = redis.pcall('incr', KEYS[1]) return r.err", "1", "st"))
                .isEqualTo("$43\r\nERR value is not an integer or out of range\r\n");
        assertThat(call("eval", "return redis.call('get', 'nosuchkey')", "0")).isEqualTo("$-1\r\n");
        assertThat(call("eval", "return type(redis.call('get', 'nosuchkey'))", "0")).isEqualTo("$7\r\nboolean\r\n");
    }

    /** EVALSHA finds its script case-insensitively, and forgets it after SCRIPT FLUSH. */
    @Test
    void evalshaRemembersOnlyLiveScripts() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            String sha = c.call("script", "load", "return ARGV[1]").split("\r\n")[1];
            for (int i = 0; i < 3; i++) {
                assertThat(c.call("evalsha", sha, "0", "v" + i)).isEqualTo("$2\r\nv" + i + "\r\n");
            }
            assertThat(c.call("evalsha", sha.toUpperCase(), "0", "up")).isEqualTo("$2\r\nup\r\n");
            assertThat(c.call("script", "flush")).isEqualTo("+OK\r\n");
            assertThat(c.call("evalsha", sha, "0", "x")).startsWith("-NOSCRIPT");
            assertThat(c.call("script", "load", "return ARGV[1]")).contains(sha);
            assertThat(c.call("evalsha", sha, "0", "back")).isEqualTo("$4\r\nback\r\n");
        }
    }
}
