package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keydb.server.config.ConfigFileReader;
import dev.keydb.server.config.ConfigFileReader.FatalConfigError;
import dev.keydb.server.config.ConfigText;
import dev.keydb.server.config.Directive;
import dev.keydb.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** redis.conf parsing: quoting, units, includes, errors with file and line; conf/keydb.conf itself. */
class ConfigFileTest {
    @TempDir
    Path tmp;

    private ServerConfig load(String text) throws Exception {
        Path f = tmp.resolve("t.conf");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        ServerConfig c = new ServerConfig();
        new ConfigFileReader(c.registry()).loadFile(f);
        return c;
    }

    private FatalConfigError failure(String text) {
        try {
            load(text);
        } catch (FatalConfigError e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error for: " + text);
    }

    @Test
    void quotingCommentsAndCase() throws Exception {
        ServerConfig c = load("# a comment\n\n   PORT 7000   \r\nrequirepass \"with space\\n\\x41\"\n"
                + "logfile 'single quoted'\npidfile \"\"\n  # indented comment\n");
        assertThat(c.port).isEqualTo(7000);
        assertThat(c.requirepass).isEqualTo("with space\nA");
        assertThat(c.logfile).isEqualTo("single quoted");
        assertThat(c.pidfile).isEmpty();
    }

    @Test
    void memoryUnits() throws Exception {
        assertThat(load("proto-max-bulk-len 2mb").protoMaxBulkLen).isEqualTo(2L << 20);
        assertThat(load("proto-max-bulk-len 2000k").protoMaxBulkLen).isEqualTo(2_000_000L);
        assertThat(load("proto-max-bulk-len 1500KB").protoMaxBulkLen).isEqualTo(1500L * 1024);
        assertThat(load("client-query-buffer-limit 1gb").clientQueryBufferLimit).isEqualTo(1L << 30);
        assertThat(load("client-query-buffer-limit 2G").clientQueryBufferLimit).isEqualTo(2_000_000_000L);
        assertThat(load("client-query-buffer-limit 1048576").clientQueryBufferLimit).isEqualTo(1L << 20);
        assertThat(failure("proto-max-bulk-len 12xb").getMessage()).contains("argument must be a memory value");
        assertThat(ConfigText.memoryUnits(3L << 30)).isEqualTo("3gb");
        assertThat(ConfigText.memoryUnits(1536)).isEqualTo("1536");
        assertThat(ConfigText.memoryUnits(1024 * 1536)).isEqualTo("1536kb");
    }

    @Test
    void lastValueWins() throws Exception {
        assertThat(load("hz 20\nhz 30\n").hz).isEqualTo(30);
    }

    @Test
    void includeIsRelativeToTheIncludingFileAndSupportsWildcards() throws Exception {
        Path sub = Files.createDirectories(tmp.resolve("conf.d"));
        Files.writeString(sub.resolve("10-port.conf"), "port 7100\nhz 11\n");
        Files.writeString(sub.resolve("20-hz.conf"), "hz 12\n");
        Files.writeString(sub.resolve("ignored.txt"), "this is not config\n");
        Files.writeString(tmp.resolve("base.conf"), "databases 4\n");
        ServerConfig c = load("include base.conf\ninclude conf.d/*.conf\ninclude empty.d/*.conf\nmaxclients 7\n");
        assertThat(c.databases).isEqualTo(4);
        assertThat(c.port).isEqualTo(7100);
        assertThat(c.hz).isEqualTo(12); // files in name order
        assertThat(c.maxclients).isEqualTo(7);
        assertThat(failure("include missing.conf").getMessage()).contains("can't open config file").contains("missing.conf");
    }

    @Test
    void includeLoopIsStopped() throws Exception {
        Files.writeString(tmp.resolve("loop.conf"), "include loop.conf\n");
        assertThat(failure("include loop.conf").getMessage()).contains("Too many nested includes");
    }

    @Test
    void unknownDirectiveNamesFileAndLine() {
        String msg = failure("port 7000\n\n# comment\nno-such-directive 1\n").getMessage();
        assertThat(msg).contains("FATAL CONFIG FILE ERROR")
                .contains(tmp.resolve("t.conf").toString())
                .contains("at line 4")
                .contains(">>> 'no-such-directive 1'")
                .contains("Bad directive or wrong number of arguments");
    }

    @Test
    void badValuesExplainWhy() {
        assertThat(failure("port 70000").getMessage()).contains("at line 1").contains("argument must be between 0 and 65535 inclusive");
        assertThat(failure("port").getMessage()).contains("Bad directive or wrong number of arguments");
        assertThat(failure("protected-mode maybe").getMessage()).contains("argument must be 'yes' or 'no'");
        assertThat(failure("requirepass \"unbalanced").getMessage()).contains("Unbalanced quotes in configuration line");
        assertThat(failure("save 900").getMessage()).contains("Invalid save parameters");
        assertThat(failure("save 0 1").getMessage()).contains("Invalid save parameters");
        assertThat(failure("save 60 -1").getMessage()).contains("Invalid save parameters");
        assertThat(failure("appendonly maybe").getMessage()).contains("argument must be 'yes' or 'no'");
        assertThat(failure("io-threads 4").getMessage()).contains("server-threads");
        assertThat(failure("daemonize yes").getMessage()).contains("argument must be 'no'");
        assertThat(failure("dbfilename /etc/passwd").getMessage()).contains("dbfilename can't be a path, just a filename");
        assertThat(failure("maxmemory-policy lru").getMessage())
                .contains("argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, "
                        + "allkeys-lru, allkeys-lfu, allkeys-random, noeviction");
        assertThat(failure("unixsocket /tmp/keydb.sock").getMessage()).contains("Bad directive");
    }

    @Test
    void saveLinesAddUpAndAnEmptyOneStartsAgain() throws Exception {
        assertThat(load("").savePoints.toString()).isEqualTo("3600 1 300 100 60 10000");
        assertThat(load("save 900 1\nsave 300 10 60 10000\n").savePoints.toString()).isEqualTo("900 1 300 10 60 10000");
        assertThat(load("save 900 1\nsave \"\"\nsave 60 5\n").savePoints.toString()).isEqualTo("60 5");
        assertThat(load("save \"\"\n").savePoints.isEmpty()).isTrue();
    }

    @Test
    void commandLinePairsOverride() throws Exception {
        ServerConfig c = load("port 7000\n");
        new ConfigFileReader(c.registry()).loadArguments(List.of("--port", "7001", "--save", "", "--bind", "127.0.0.1", "::1"));
        assertThat(c.port).isEqualTo(7001);
        assertThat(c.bind).containsExactly("127.0.0.1", "::1");
    }

    @Test
    void hzIsClampedAsRedis() throws Exception {
        assertThat(load("hz 0").hz).isEqualTo(1);
        assertThat(load("hz 100000").hz).isEqualTo(500);
    }

    /** conf/keydb.conf documents every directive, loads as it is, and states the built-in defaults. */
    @Test
    void shippedConfigFileCoversEveryDirective() throws Exception {
        Path conf = Path.of("../conf/keydb.conf");
        assertThat(conf).exists();
        String text = Files.readString(conf);
        ServerConfig defaults = new ServerConfig();
        for (Directive d : defaults.registry().all()) {
            Pattern line = Pattern.compile("(?m)^#? ?" + Pattern.quote(d.name()) + "( |$)");
            assertThat(line.matcher(text).find()).as("directive %s documented in conf/keydb.conf", d.name()).isTrue();
        }
        ServerConfig loaded = new ServerConfig();
        new ConfigFileReader(loaded.registry()).loadFile(conf);
        for (Directive d : defaults.registry().all()) {
            assertThat(loaded.registry().find(d.name()).get()).as("default of %s", d.name()).isEqualTo(d.get());
        }
        assertThat(loaded.port).isEqualTo(6379);
        assertThat(loaded.bind).containsExactly("127.0.0.1", "-::1");
        assertThat(loaded.protectedMode).isTrue();
        assertThat(loaded.dir).isEqualTo(Path.of("data").toAbsolutePath().toString());
    }
}
