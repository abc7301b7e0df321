package dev.keydb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keydb-check-rdb on RDB files written by Debian's redis-server, sound and damaged, beside redis-check-rdb. */
class CheckRdbTest {
    @TempDir
    static Path shared;
    static byte[] dump;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeRealRdb() throws Exception {
        try (RealRedis r = RealRedis.start(shared)) {
            for (int i = 0; i < 100; i++) {
                r.call("SET", "key:" + i, "value-" + i);
            }
            r.call("SET", "counter", "12345");
            r.call("SET", "big", "x".repeat(5000));          // LZF-compressed
            r.call("RPUSH", "list", "a", "b", "c", "1", "2");
            r.call("HSET", "hash", "f1", "v1", "f2", "v2");
            r.call("SADD", "ints", "1", "2", "3");
            r.call("SADD", "words", "alpha", "beta");
            r.call("ZADD", "zset", "1.5", "a", "2", "b");
            r.call("SET", "temp", "t", "EX", "1000");
            for (int i = 0; i < 5; i++) {
                r.call("XADD", "stream", "*", "field", "v" + i);
            }
            r.call("XGROUP", "CREATE", "stream", "group", "0");
            r.call("XREADGROUP", "GROUP", "group", "alice", "COUNT", "2", "STREAMS", "stream", ">");
            r.call("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('one', function() return 1 end)");
            r.call("SAVE");
        }
        dump = Files.readAllBytes(shared.resolve("dump.rdb"));
    }

    record Run(int exit, String out) {}

    static Run check(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(b, true, StandardCharsets.UTF_8);
        int rc = CheckRdb.run("keydb-check-rdb", args, ps, ps);
        return new Run(rc, b.toString(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void acceptsRealRedisRdb() throws Exception {
        Path p = write("dump.rdb", dump);
        Run r = check(p.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).startsWith("[offset 0] Checking RDB file " + p + "\n")
                .contains("AUX FIELD redis-ver = '7.0.15'")
                .contains("] Selecting DB ID 0\n")
                .contains("] Checksum OK\n")
                .contains("[offset " + dump.length + "] \\o/ RDB looks OK! \\o/\n")
                .contains("[info] 109 keys read\n[info] 1 expires\n[info] 0 already expired\n");
        // The same report as Debian's redis-check-rdb, line for line.
        RealRedis.Result real = RealRedis.runProgram("", "redis-check-rdb", p.toString());
        assertThat(real.exit()).isZero();
        assertThat(r.out()).isEqualTo(real.output());
    }

    @Test
    void flippedByteInValueIsCrcError() throws Exception {
        byte[] bad = dump.clone();
        int at = indexOf(bad, "value-50".getBytes(StandardCharsets.US_ASCII));
        bad[at + 1] ^= 0x20;                                  // 'a' -> 'A': still a valid value
        Path p = write("crc.rdb", bad);
        Run r = check(p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("--- RDB ERROR DETECTED ---\n[offset " + dump.length + "] RDB CRC error\n")
                .contains("[additional info] While doing: check-sum\n");
        sameVerdictAsRedis(p, r);
    }

    @Test
    void flippedTypeByteIsFormatError() throws Exception {
        byte[] bad = dump.clone();
        int at = indexOf(bad, "\u0006key:42".getBytes(StandardCharsets.US_ASCII)) - 1;   // the type byte before the key
        bad[at] = 0x42; // 64 and 65 are KeyDB's cron job and our nested hash
        Path p = write("type.rdb", bad);
        Run r = check(p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("--- RDB ERROR DETECTED ---\n[offset " + (at + 1) + "] Invalid object type: 66\n")
                .contains("While doing: read-type");
        sameVerdictAsRedis(p, r);
    }

    @Test
    void truncatedTailIsUnexpectedEof() throws Exception {
        for (int cut : new int[] {dump.length - 4, dump.length - 9, 20}) {   // checksum, last key, an AUX field
            Path p = write("trunc" + cut + ".rdb", Arrays.copyOf(dump, cut));
            Run r = check(p.toString());
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains("--- RDB ERROR DETECTED ---").contains("Unexpected EOF reading RDB file");
            sameVerdictAsRedis(p, r);
        }
    }

    /**
     * A file cut at any byte gets redis-check-rdb's report: the offset where the failed read
     * began, and Redis's own words where it has them (a stream's parts, a function library).
     * Every cut inside the stream (its reads each have their words) and the library, every
     * 16th elsewhere.
     */
    @Test
    void everyTruncationGetsRedisReport() throws Exception {
        int stream = indexOf(dump, "\u0006stream".getBytes(StandardCharsets.US_ASCII)) - 1;
        int library = indexOf(dump, "#!lua".getBytes(StandardCharsets.US_ASCII)) - 3;
        for (int cut = 0; cut < dump.length;
                cut += cut >= stream && cut < stream + 200 || cut >= library && cut < library + 90 ? 1 : 16) {
            Path p = write("cut.rdb", Arrays.copyOf(dump, cut));
            Run ours = check(p.toString());
            RealRedis.Result real = RealRedis.runProgram("", "redis-check-rdb", p.toString());
            assertThat(ours.exit()).as("cut at %d: %s", cut, ours.out()).isEqualTo(real.exit()).isEqualTo(1);
            assertThat(errorReport(ours.out())).as("cut at %d", cut).isEqualTo(errorReport(real.output()));
        }
    }

    /**
     * The error and "additional info" lines; the value type by number only (Redis 7.0 names
     * types past 18 "unknown", we name them as newer Redis does).
     */
    private static String errorReport(String out) {
        return out.lines().dropWhile(l -> !l.equals("--- RDB ERROR DETECTED ---"))
                .takeWhile(l -> !l.startsWith("[info]"))
                .map(l -> l.replaceAll("^(\\[additional info\\] Reading type \\d+) \\(.*\\)$", "$1"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void notAnRdbFile() throws Exception {
        Path p = write("junk.rdb", "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        Run r = check(p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("[offset 9] Wrong signature trying to load DB from file");
        sameVerdictAsRedis(p, r);
    }

    @Test
    void progressLines() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(b, true, StandardCharsets.UTF_8);
        assertThat(CheckRdb.check(new java.io.ByteArrayInputStream(dump), ps, 1000)).isNotNull();
        long lines = b.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("\\[offset \\d+\\] Checked 0 MB, \\d+ keys so far")).count();
        assertThat(lines).isBetween((long) dump.length / 1000 - 6, (long) dump.length / 1000);
    }

    @Test
    void usage() {
        Run r = check();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("Usage: keydb-check-rdb <rdb-file-name>\n");
        assertThat(check("a", "b").exit()).isEqualTo(1);
        Run missing = check(dir.resolve("missing.rdb").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("Cannot open RDB file");
    }

    /** Debian's redis-check-rdb agrees: exit status, and the error line's offset. */
    private static void sameVerdictAsRedis(Path p, Run ours) throws Exception {
        RealRedis.Result real = RealRedis.runProgram("", "redis-check-rdb", p.toString());
        assertThat(ours.exit()).as(real.output()).isEqualTo(real.exit());
        String errorLine = real.output().lines().dropWhile(l -> !l.equals("--- RDB ERROR DETECTED ---")).skip(1).findFirst()
                .orElseThrow();
        String offset = errorLine.substring(0, errorLine.indexOf(']') + 1);
        assertThat(ours.out()).as(real.output()).contains("--- RDB ERROR DETECTED ---\n" + offset + " ");
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
