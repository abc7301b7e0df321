package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** CONFIG GET/SET/RESETSTAT/REWRITE/HELP over the wire, with Redis 7.0's replies and errors. */
class ConfigCommandsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection c;

    @TempDir
    Path tmp;

    @BeforeEach
    void connect() throws Exception {
        c = new RawConnection(server.port());
    }

    @AfterEach
    void disconnect() throws Exception {
        c.close();
    }

    @Test
    void getExactGlobAndSeveralPatterns() throws Exception {
        assertThat(c.call("CONFIG", "GET", "maxclients")).isEqualTo("*2\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n");
        // An exact name answers under the caller's spelling, as Redis 7.
        assertThat(c.call("CONFIG", "GET", "MAXCLIENTS")).isEqualTo("*2\r\n$10\r\nMAXCLIENTS\r\n$5\r\n10000\r\n");
        assertThat(c.call("CONFIG", "GET", "no-such-thing")).isEqualTo("*0\r\n");
        assertThat(c.call("CONFIG", "GET", "maxmemory*")).isEqualTo("*10\r\n"
                + "$9\r\nmaxmemory\r\n$1\r\n0\r\n"
                + "$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n"
                + "$17\r\nmaxmemory-samples\r\n$1\r\n5\r\n"
                + "$27\r\nmaxmemory-eviction-tenacity\r\n$2\r\n10\r\n"
                + "$17\r\nmaxmemory-clients\r\n$1\r\n0\r\n");
        // Several patterns, overlapping: each name once.
        String r = c.call("CONFIG", "GET", "port", "p?rt", "TIMEOUT", "lazyfree-lazy-user-*");
        assertThat(r).startsWith("*8\r\n").contains("$4\r\nport\r\n").contains("$7\r\nTIMEOUT\r\n$1\r\n0\r\n")
                .contains("lazyfree-lazy-user-del").contains("lazyfree-lazy-user-flush");
        // Glob matches aliases too, as Redis 7.
        assertThat(c.call("CONFIG", "GET", "slave-lazy-*")).isEqualTo("*2\r\n$16\r\nslave-lazy-flush\r\n$2\r\nno\r\n");
        assertThat(c.call("CONFIG", "GET", "*")).startsWith("*");
        assertThat(c.call("CONFIG", "GET")).isEqualTo("-ERR wrong number of arguments for 'config|get' command\r\n");
    }

    @Test
    void getIsAMapInResp3() throws Exception {
        c.call("HELLO", "3");
        assertThat(c.call("CONFIG", "GET", "maxclients", "databases"))
                .isEqualTo("%2\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n$9\r\ndatabases\r\n$2\r\n16\r\n");
    }

    @Test
    void setChangesValuesAndTheyTakeEffect() throws Exception {
        try {
            assertThat(c.call("CONFIG", "SET", "hz", "50", "maxclients", "500")).isEqualTo("+OK\r\n");
            assertThat(server.server().config().hz).isEqualTo(50);
            assertThat(c.call("CONFIG", "GET", "maxclients")).contains("$3\r\n500\r\n");
            // hz outside 1..500 is clamped, not refused.
            assertThat(c.call("CONFIG", "SET", "hz", "0")).isEqualTo("+OK\r\n");
            assertThat(c.call("CONFIG", "GET", "hz")).isEqualTo("*2\r\n$2\r\nhz\r\n$1\r\n1\r\n");
            // Memory units in CONFIG SET.
            assertThat(c.call("CONFIG", "SET", "proto-max-bulk-len", "2mb")).isEqualTo("+OK\r\n");
            assertThat(c.call("CONFIG", "GET", "proto-max-bulk-len")).contains("$7\r\n2097152\r\n");
            // An alias sets the directive.
            assertThat(c.call("CONFIG", "SET", "slave-lazy-flush", "yes")).isEqualTo("+OK\r\n");
            assertThat(c.call("CONFIG", "GET", "replica-lazy-flush")).contains("$3\r\nyes\r\n");
        } finally {
            c.call("CONFIG", "SET", "hz", "10", "maxclients", "10000", "proto-max-bulk-len", "512mb", "replica-lazy-flush", "no");
        }
    }

    @Test
    void setIsAtomicAcrossPairs() throws Exception {
        assertThat(c.call("CONFIG", "SET", "hz", "77", "timeout", "30", "maxclients", "abc")).isEqualTo(
                "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer\r\n");
        assertThat(c.call("CONFIG", "GET", "hz", "timeout")).contains("$2\r\n10\r\n").contains("$7\r\ntimeout\r\n$1\r\n0\r\n");
        // A refusal by the server (not by the parser) rolls back too.
        assertThat(c.call("CONFIG", "SET", "timeout", "30", "save", "900")).isEqualTo(
                "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters\r\n");
        assertThat(c.call("CONFIG", "GET", "timeout")).contains("$1\r\n0\r\n");
        // An error names the directive, not the alias the caller used.
        assertThat(c.call("CONFIG", "SET", "slave-lazy-flush", "maybe")).isEqualTo(
                "-ERR CONFIG SET failed (possibly related to argument 'replica-lazy-flush') - argument must be 'yes' or 'no'\r\n");
    }

    @Test
    void setErrorsAsRedis7() throws Exception {
        assertThat(c.call("CONFIG", "SET", "foo", "bar")).isEqualTo(
                "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n");
        assertThat(c.call("CONFIG", "SET", "databases", "3")).isEqualTo(
                "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n");
        assertThat(c.call("CONFIG", "SET", "hz", "5", "HZ", "6")).isEqualTo(
                "-ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter\r\n");
        assertThat(c.call("CONFIG", "SET", "dir", "/tmp")).isEqualTo(
                "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n");
        assertThat(c.call("CONFIG", "SET", "maxclients", "-1")).isEqualTo(
                "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive\r\n");
        assertThat(c.call("CONFIG", "SET", "loglevel", "loud")).isEqualTo(
                "-ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: "
                        + "debug, verbose, notice, warning, nothing\r\n");
        assertThat(c.call("CONFIG", "SET", "hz", "5", "timeout")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("CONFIG", "SET", "hz")).isEqualTo("-ERR wrong number of arguments for 'config|set' command\r\n");
        assertThat(c.call("CONFIG")).isEqualTo("-ERR wrong number of arguments for 'config' command\r\n");
        assertThat(c.call("CONFIG", "NOPE")).isEqualTo("-ERR unknown subcommand 'NOPE'. Try CONFIG HELP.\r\n");
        assertThat(c.call("CONFIG", "GET", "hz")).contains("$2\r\n10\r\n");
    }

    @Test
    void protectedConfigsWhenEnabled() throws Exception {
        try (TestServer s = TestServer.start("--enable-protected-configs", "local");
             RawConnection r = new RawConnection(s.port())) {
            Path d = Files.createDirectories(tmp.resolve("newdir"));
            assertThat(r.call("CONFIG", "SET", "dir", d.toString())).isEqualTo("+OK\r\n");
            assertThat(r.call("CONFIG", "GET", "dir")).contains(d.toString());
            assertThat(r.call("CONFIG", "SET", "dir", tmp.resolve("missing").toString())).isEqualTo(
                    "-ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory\r\n");
            assertThat(r.call("CONFIG", "GET", "dir")).contains(d.toString());
            assertThat(r.call("CONFIG", "SET", "dbfilename", "a/b.rdb")).isEqualTo(
                    "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename\r\n");
            assertThat(r.call("CONFIG", "SET", "dbfilename", "other.rdb")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void help() throws Exception {
        assertThat(c.call("CONFIG", "HELP")).isEqualTo("*11\r\n"
                + "+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+GET <pattern>\r\n"
                + "+    Return parameters matching the glob-like <pattern> and their values.\r\n"
                + "+SET <directive> <value>\r\n"
                + "+    Set the configuration <directive> to <value>.\r\n"
                + "+RESETSTAT\r\n"
                + "+    Reset statistics reported by the INFO command.\r\n"
                + "+REWRITE\r\n"
                + "+    Rewrite the configuration file.\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n");
    }

    @Test
    void rewriteWithoutConfigFile() throws Exception {
        assertThat(c.call("CONFIG", "REWRITE")).isEqualTo("-ERR The server is running without a config file\r\n");
    }

    /** DEBUG CONFIG-REWRITE-FORCE-ALL writes every directive, defaults included; the file loads back. */
    @Test
    void rewriteForceAllWritesDefaultsToo() throws Exception {
        Path conf = tmp.resolve("force.conf");
        Files.writeString(conf, "port 6390\n");
        try (TestServer s = TestServer.startWithConfigFile(conf, "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(s.port())) {
            assertThat(r.call("DEBUG", "CONFIG-REWRITE-FORCE-ALL")).isEqualTo("+OK\r\n");
            String rewritten = Files.readString(conf);
            assertThat(rewritten).contains("\nlazyfree-lazy-user-del no\n").contains("\nmaxmemory 0\n").contains("\nhz 10\n")
                    .contains("\nclient-output-buffer-limit normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\n");
        }
        try (TestServer again = TestServer.startWithConfigFile(conf); RawConnection r = new RawConnection(again.port())) {
            assertThat(r.call("CONFIG", "GET", "hz")).isEqualTo("*2\r\n$2\r\nhz\r\n$2\r\n10\r\n");
        }
        try (TestServer plain = TestServer.start("--enable-debug-command", "yes"); RawConnection r = new RawConnection(plain.port())) {
            assertThat(r.call("DEBUG", "CONFIG-REWRITE-FORCE-ALL"))
                    .isEqualTo("-ERR CONFIG-REWRITE-FORCE-ALL failed: The server is running without a config file\r\n");
        }
    }

    @Test
    void rewriteRoundTrip() throws Exception {
        Path conf = tmp.resolve("keydb.conf");
        String original = "# My server\n"
                + "port 6380\n"
                + "\n"
                + "# Timeouts\n"
                + "timeout 0\n"
                + "hz 20\n"
                + "hz 25\n"
                + "include extra.conf\n"
                + "slave-lazy-flush no\n"
                + "maxclients 100\n";
        Files.writeString(conf, original);
        Files.writeString(tmp.resolve("extra.conf"), "databases 8\n");
        try (TestServer s = TestServer.startWithConfigFile(conf, "--loglevel", "warning");
             RawConnection r = new RawConnection(s.port())) {
            assertThat(r.call("CONFIG", "SET", "timeout", "60", "hz", "33", "replica-lazy-flush", "yes",
                    "lazyfree-lazy-expire", "yes", "requirepass", "p w")).isEqualTo("+OK\r\n");
            assertThat(r.call("AUTH", "p w")).isEqualTo("+OK\r\n");
            assertThat(r.call("CONFIG", "REWRITE")).isEqualTo("+OK\r\n");
            String rewritten = Files.readString(conf);
            String[] lines = rewritten.split("\n", -1);
            // Comments and their order stay; known directives are replaced where they were.
            assertThat(lines[0]).isEqualTo("# My server");
            assertThat(lines[1]).isEqualTo("port 0"); // the test harness runs it on port 0
            assertThat(lines[2]).isEmpty();
            assertThat(lines[3]).isEqualTo("# Timeouts");
            assertThat(lines[4]).isEqualTo("timeout 60");
            assertThat(lines[5]).isEqualTo("hz 33");
            assertThat(lines[6]).isEmpty(); // the second hz line is blanked
            assertThat(lines[7]).isEqualTo("include extra.conf");
            assertThat(lines[8]).isEqualTo("replica-lazy-flush yes"); // the alias line, rewritten under the real name
            assertThat(lines[9]).isEqualTo("maxclients 100");
            // Changed directives that were not in the file are appended after the signature; defaults are not.
            int sig = rewritten.indexOf("# Generated by CONFIG REWRITE\n");
            assertThat(sig).isPositive();
            assertThat(rewritten.substring(0, sig)).endsWith("maxclients 100\n\n");
            assertThat(rewritten).endsWith("\n").doesNotEndWith("\n\n");
            String appended = rewritten.substring(sig);
            assertThat(appended).contains("\nlazyfree-lazy-expire yes\n").contains("\nrequirepass \"p w\"\n")
                    .contains("\nsave 3600 1 300 100 60 10000\n").contains("\nloglevel warning\n").contains("\ndatabases 8\n")
                    .doesNotContain("lazyfree-lazy-user-del").doesNotContain("maxmemory ").doesNotContain("\nhz ");
            assertThat(rewritten).doesNotContain("\n\n\n");
            // No temporary file is left behind.
            try (var files = Files.list(tmp)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("keydb.conf", "extra.conf");
            }
            // A second rewrite with nothing changed is a fixed point.
            assertThat(r.call("CONFIG", "REWRITE")).isEqualTo("+OK\r\n");
            assertThat(Files.readString(conf)).isEqualTo(rewritten);
        }
        // The rewritten file starts a server with the values that were set.
        try (TestServer s = TestServer.startWithConfigFile(conf)) {
            assertThat(s.server().config().timeoutSeconds).isEqualTo(60);
            assertThat(s.server().config().hz).isEqualTo(33);
            assertThat(s.server().config().requirepass).isEqualTo("p w");
            assertThat(s.server().config().lazyfreeLazyExpire).isTrue();
            assertThat(s.server().config().databases).isEqualTo(8);
        }
    }

    @Test
    void rewriteReportsWhyItFailed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("gone"));
        Path conf = dir.resolve("keydb.conf");
        Files.writeString(conf, "hz 10\n", StandardCharsets.UTF_8);
        try (TestServer s = TestServer.startWithConfigFile(conf);
             RawConnection r = new RawConnection(s.port())) {
            Files.delete(conf);
            Files.delete(dir);
            assertThat(r.call("CONFIG", "REWRITE")).isEqualTo("-ERR Rewriting config file: No such file or directory\r\n");
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void resetstatZeroesCounters() throws Exception {
        try (TestServer s = TestServer.start(); RawConnection r = new RawConnection(s.port())) {
            r.call("SET", "k", "v");
            r.call("GET", "k");
            r.call("GET", "missing");
            r.call("NOSUCHCOMMAND");
            r.call("GET");
            String before = r.call("INFO", "all");
            assertThat(before).contains("keyspace_hits:1").contains("keyspace_misses:1")
                    .contains("cmdstat_get:calls=2").contains("rejected_calls=1").contains("errorstat_ERR:count=2")
                    .contains("total_error_replies:2");
            assertThat(r.call("CONFIG", "RESETSTAT")).isEqualTo("+OK\r\n");
            String after = r.call("INFO", "all");
            assertThat(after).contains("keyspace_hits:0").contains("keyspace_misses:0").contains("total_error_replies:0")
                    .contains("total_connections_received:0").contains("expired_keys:0")
                    .doesNotContain("cmdstat_get").doesNotContain("cmdstat_set").doesNotContain("errorstat_")
                    // RESETSTAT's own call is counted after the reset, as in Redis.
                    .contains("cmdstat_config|resetstat:calls=1");
            assertThat(after).contains("total_commands_processed:1");
        }
    }

    @Test
    void redisCliReadsConfig() throws Exception {
        RedisCli.Result r = RedisCli.run(server.port(), null, "config", "get", "maxmemory");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("maxmemory\n0\n");
        r = RedisCli.run(server.port(), null, "config", "set", "maxmemory", "1gb");
        assertThat(r.stdout()).isEqualTo("OK\n");
        assertThat(RedisCli.run(server.port(), null, "config", "get", "maxmemory").stdout()).isEqualTo("maxmemory\n1073741824\n");
        r = RedisCli.run(server.port(), null, "config", "set", "maxmemory", "lots");
        assertThat(r.stdout()).contains("ERR CONFIG SET failed (possibly related to argument 'maxmemory')");
        RedisCli.run(server.port(), null, "config", "set", "maxmemory", "0");
    }
}
