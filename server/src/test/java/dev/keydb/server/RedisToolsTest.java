package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Debian's redis-cli and redis-benchmark (package redis-tools) against the server. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RedisToolsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @BeforeEach
    void flush() throws Exception {
        assertThat(cli(null, "flushall").stdout()).isEqualTo("OK\n");
    }

    private static RedisCli.Result cli(String input, String... args) throws IOException, InterruptedException {
        return RedisCli.run(server.port(), input, args);
    }

    @Test
    void pingSetGet() throws Exception {
        assertThat(cli(null, "ping")).isEqualTo(new RedisCli.Result(0, "PONG\n"));
        assertThat(cli(null, "set", "k", "v").stdout()).isEqualTo("OK\n");
        assertThat(cli(null, "get", "k").stdout()).isEqualTo("v\n");
        assertThat(cli(null, "--no-raw", "get", "k").stdout()).isEqualTo("\"v\"\n");
        assertThat(cli(null, "--no-raw", "get", "missing").stdout()).isEqualTo("(nil)\n");
        assertThat(cli(null, "--no-raw", "incr", "n").stdout()).isEqualTo("(integer) 1\n");
        assertThat(cli(null, "--no-raw", "mget", "k", "missing").stdout()).isEqualTo("1) \"v\"\n2) (nil)\n");
        assertThat(cli(null, "foo", "a").stdout()).startsWith("ERR unknown command 'foo', with args beginning with: 'a'");
    }

    @Test
    void commandsFromStandardInput() throws Exception {
        String script = "set a 1\nincr a\nget a\nget nope\nmget a nope\nset s \"two words\"\nget s\nfoo\nget a\n";
        // Byte for byte what redis-cli 7.0 prints against redis-server 7.0.
        assertThat(cli(script).stdout()).as("raw output, as redis-cli prints when not on a terminal")
                .isEqualTo("OK\n2\n2\n\n2\n\nOK\ntwo words\nERR unknown command 'foo', with args beginning with: \n\n2\n");
        assertThat(cli(script, "--no-raw").stdout())
                .isEqualTo("OK\n(integer) 2\n\"2\"\n(nil)\n1) \"2\"\n2) (nil)\nOK\n\"two words\"\n"
                        + "(error) ERR unknown command 'foo', with args beginning with: \n\"2\"\n");
    }

    @Test
    void resp3Output() throws Exception {
        cli(null, "set", "k", "v");
        assertThat(cli(null, "-3", "--no-raw", "get", "missing").stdout()).isEqualTo("(nil)\n");
        assertThat(cli(null, "-3", "--no-raw", "get", "k").stdout()).isEqualTo("\"v\"\n");
        String hello = cli(null, "-3", "--no-raw", "hello", "3").stdout();
        assertThat(hello).startsWith("1# \"server\" => \"redis\"\n").contains("3# \"proto\" => (integer) 3\n")
                .endsWith("7# \"modules\" => (empty array)\n");
    }

    @Test
    void argumentFromStandardInput() throws Exception {
        String big = "0123456789".repeat(20_000);
        assertThat(cli(big, "-x", "set", "big").stdout()).isEqualTo("OK\n");
        assertThat(cli(null, "strlen", "big").stdout()).isEqualTo("200000\n");
        assertThat(cli(null, "get", "big").stdout()).isEqualTo(big + "\n");
    }

    @Test
    void pipeMode() throws Exception {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String k = "key:" + i;
            String v = "value:" + i;
            in.append("*3\r\n$3\r\nSET\r\n$").append(k.length()).append("\r\n").append(k).append("\r\n$")
                    .append(v.length()).append("\r\n").append(v).append("\r\n");
        }
        RedisCli.Result r = cli(in.toString(), "--pipe");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("All data transferred").contains("errors: 0, replies: 10000");
        assertThat(cli(null, "dbsize").stdout()).isEqualTo("10000\n");
        assertThat(cli(null, "get", "key:9999").stdout()).isEqualTo("value:9999\n");
    }

    @Test
    void pipeModeCountsErrors() throws Exception {
        RedisCli.Result r = cli("SET a 1\r\nINCR a\r\nFOO\r\nGET\r\n", "--pipe");
        assertThat(r.stdout()).contains("errors: 2, replies: 4");
    }

    @Test
    void password() throws Exception {
        try (TestServer secured = TestServer.start("--requirepass", "pw")) {
            assertThat(RedisCli.run(secured.port(), null, "get", "k").stdout()).isEqualTo("NOAUTH Authentication required.\n\n");
            assertThat(RedisCli.run(secured.port(), null, "-a", "pw", "--no-auth-warning", "set", "k", "v").stdout())
                    .isEqualTo("OK\n");
            assertThat(RedisCli.run(secured.port(), null, "--user", "default", "--pass", "pw", "--no-auth-warning", "get", "k")
                    .stdout()).isEqualTo("v\n");
            assertThat(RedisCli.run(secured.port(), null, "-3", "-a", "pw", "--no-auth-warning", "--no-raw", "get", "nope")
                    .stdout()).isEqualTo("(nil)\n");
        }
    }

    @Test
    void benchmark() throws Exception {
        List<String> cmd = List.of("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
                "-t", "set,get,incr,mset", "-n", "20000", "-q");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out;
        try {
            // Reading until EOF ends when the process exits; the timeout below bounds the whole run.
            java.util.concurrent.CompletableFuture<byte[]> reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("redis-benchmark finished within 120 s").isTrue();
            out = reader.get(10, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        for (String test : List.of("SET", "GET", "INCR", "MSET (10 keys)")) {
            Matcher m = Pattern.compile("(?m)(?:^|\r)" + Pattern.quote(test) + ": ([0-9.]+) requests per second").matcher(text);
            assertThat(m.find()).as("a result line for %s in %s", test, text).isTrue();
            assertThat(Double.parseDouble(m.group(1))).isPositive();
        }
        assertThat(cli(null, "get", "counter:__rand_int__").stdout()).as("INCR's key").matches("\\d+\n");
    }
}
