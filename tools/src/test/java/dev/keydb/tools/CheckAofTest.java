package dev.keydb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keydb-check-aof on a multi-part AOF written by Debian's redis-server (RDB base, RESP incr
 * file with a MULTI/EXEC block), on damaged copies, and on the other layouts, beside Debian's
 * redis-check-aof.
 */
class CheckAofTest {
    static final String MANIFEST = "appendonly.aof.manifest";
    static final String BASE = "appendonly.aof.1.base.rdb";
    static final String INCR = "appendonly.aof.1.incr.aof";

    @TempDir
    static Path shared;
    static Path realAof;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeRealAof() throws Exception {
        try (RealRedis r = RealRedis.start(shared, "--appendonly", "yes", "--appenddirname", "aof", "--appendfsync", "always")) {
            for (int i = 0; i < 50; i++) {
                r.call("SET", "key:" + i, "value-" + i);
            }
            r.call("RPUSH", "list", "a", "b", "c");
            r.call("HSET", "hash", "f1", "v1", "f2", "v2");
            r.call("MULTI");
            r.call("INCR", "counter");
            r.call("SET", "last", "end");
            r.call("EXEC");
        }
        realAof = shared.resolve("aof");
        try (Stream<Path> files = Files.list(realAof)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(MANIFEST, BASE, INCR);
        }
    }

    record Run(int exit, String out) {}

    static Run check(String stdin, String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(b, true, StandardCharsets.UTF_8);
        int rc = CheckAof.run("keydb-check-aof", args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)), ps);
        return new Run(rc, b.toString(StandardCharsets.UTF_8));
    }

    @Test
    void largeFilesGetProgressLines() throws Exception {
        StringBuilder aof = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            aof.append("*3\r\n$3\r\nSET\r\n$4\r\nk").append(String.format("%03d", i)).append("\r\n$1\r\nv\r\n");
        }
        Path f = dir.resolve("progress.aof");
        Files.writeString(f, aof, StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(b, true, StandardCharsets.UTF_8);
        int rc = CheckAof.run("keydb-check-aof", new String[] {f.toString()}, new ByteArrayInputStream(new byte[0]), ps, 1000);
        String out = b.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isZero();
        long progress = out.lines().filter(l -> l.matches("\\[offset \\d+\\] Checked 0 MB of AOF .*progress\\.aof, \\d+ lines so far")).count();
        assertThat(progress).isBetween((long) aof.length() / 1000 - 1, (long) aof.length() / 1000);
        assertThat(out).contains("progress.aof, size=" + aof.length() + ", ok_up_to=" + aof.length() + ",").contains("is valid");
    }

    /** A fresh copy of the real AOF directory. */
    private Path copy() throws Exception {
        Path d = dir.resolve("aof");
        Files.createDirectories(d);
        for (String f : new String[] {MANIFEST, BASE, INCR}) {
            Files.copy(realAof.resolve(f), d.resolve(f));
        }
        return d;
    }

    private static RealRedis.Result redisCheckAof(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "redis-check-aof";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return RealRedis.runProgram("", cmd);
    }

    @Test
    void acceptsRealMultiPartAof() throws Exception {
        Path d = copy();
        String manifest = d.resolve(MANIFEST).toString();
        Run r = check("", manifest);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).startsWith("Start checking Multi Part AOF\nStart to check BASE AOF (RDB format).\n")
                .contains("\\o/ RDB looks OK! \\o/")
                .contains("BASE AOF " + BASE + " is valid\n")
                .contains("INCR AOF " + INCR + " is valid\n")
                .endsWith("All AOF files and manifest are valid\n");
        RealRedis.Result real = redisCheckAof(manifest);
        assertThat(real.exit()).isZero();
        assertThat(r.out()).isEqualTo(real.output());
        // Each file alone: the base as an RDB-preamble AOF, the incr file as an old-style AOF.
        assertThat(check("", d.resolve(BASE).toString()).out()).contains("RDB preamble is OK, proceeding with AOF tail...")
                .endsWith("AOF " + d.resolve(BASE) + " is valid\n");
        assertThat(CheckRdbTest.check(d.resolve(BASE).toString()).exit()).isZero();
        Run incr = check("", d.resolve(INCR).toString());
        assertThat(incr.exit()).isZero();
        assertThat(incr.out()).isEqualTo(redisCheckAof(d.resolve(INCR).toString()).output());
    }

    @Test
    void truncatedIncrFileIsReportedAndFixed() throws Exception {
        Path d = copy();
        Path incr = d.resolve(INCR);
        byte[] full = Files.readAllBytes(incr);
        int cut = full.length - 5;                            // inside the EXEC of the MULTI block
        Files.write(incr, Arrays.copyOf(full, cut));
        int multiAt = CheckRdbTest.indexOf(full, "*1\r\n$5\r\nMULTI\r\n".getBytes(StandardCharsets.US_ASCII));
        String manifest = d.resolve(MANIFEST).toString();

        Run r = check("", manifest);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("AOF analyzed: filename=" + INCR + ", size=" + cut + ", ok_up_to=" + multiAt + ", ok_up_to_line=")
                .contains(", diff=" + (cut - multiAt) + "\n")
                .endsWith("AOF " + INCR + " is not valid. Use the --fix option to try fixing it.\n");
        assertThat(r.out()).isEqualTo(redisCheckAof(manifest).output());

        Run no = check("n\n", "--fix", manifest);
        assertThat(no.exit()).isEqualTo(1);
        assertThat(no.out()).endsWith("Continue? [y/N]: Aborting...\n");
        assertThat(Files.size(incr)).isEqualTo(cut);

        Run fix = check("y\n", "--fix", manifest);
        assertThat(fix.exit()).as(fix.out()).isZero();
        assertThat(fix.out()).contains("This will shrink the AOF " + INCR + " from " + cut + " bytes, with " + (cut - multiAt)
                        + " bytes, to " + multiAt + " bytes\nContinue? [y/N]: Successfully truncated AOF " + INCR + "\n")
                .endsWith("All AOF files and manifest are valid\n");
        assertThat(Files.readAllBytes(incr)).isEqualTo(Arrays.copyOf(full, multiAt));
        assertThat(check("", manifest).exit()).isZero();
        RealRedis.Result real = redisCheckAof(manifest);
        assertThat(real.exit()).as(real.output()).isZero();
        assertThat(real.output()).endsWith("All AOF files and manifest are valid\n");
    }

    @Test
    void unterminatedMultiAtTheEndIsATruncatedTail() throws Exception {
        byte[] cmds = ("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Path p = dir.resolve("multi.aof");
        Files.write(p, cmds);
        Run r = check("", p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Reached EOF before reading EXEC for MULTI\n")
                .contains("ok_up_to=23, ok_up_to_line=")
                .isEqualTo(redisCheckAof(p.toString()).output());
        Run fix = check("y\n", "--fix", p.toString());
        assertThat(fix.exit()).isZero();
        assertThat(fix.out()).endsWith("Successfully truncated AOF " + p + "\n");
        assertThat(Files.size(p)).isEqualTo(23);
        assertThat(redisCheckAof(p.toString()).exit()).isZero();
    }

    @Test
    void formatErrorInTheMiddle() throws Exception {
        Path d = copy();
        Path incr = d.resolve(INCR);
        byte[] bad = Files.readAllBytes(incr);
        int at = CheckRdbTest.indexOf(bad, "value-20".getBytes(StandardCharsets.US_ASCII));
        int cmd = at;
        while (!(bad[cmd] == '*' && bad[cmd - 1] == '\n')) {
            cmd--;
        }
        bad[cmd + 1] = 'x';                                   // "*x\r\n": not a command count
        Files.write(incr, bad);
        String manifest = d.resolve(MANIFEST).toString();
        Run r = check("", manifest);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Expected \\r\\n, got: 780d")
                .contains("ok_up_to=" + cmd + ",")
                .endsWith("AOF " + INCR + " is not valid. Use the --fix option to try fixing it.\n")
                .isEqualTo(redisCheckAof(manifest).output());

        // A byte that starts no command: Redis's "format error".
        bad = Files.readAllBytes(realAof.resolve(INCR));
        bad[cmd] = '!';
        Files.write(incr, bad);
        Run f = check("", manifest);
        assertThat(f.exit()).isEqualTo(1);
        assertThat(f.out()).contains("AOF " + INCR + " format error\n").isEqualTo(redisCheckAof(manifest).output());
    }

    @Test
    void onlyTheLastFileMayBeFixed() throws Exception {
        Path d = dir.resolve("resp");
        Files.createDirectories(d);
        // A RESP base followed by an incr file: damage in the base cannot be cut away.
        String base = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$";
        Files.writeString(d.resolve("a.1.base.aof"), base);
        Files.writeString(d.resolve("a.2.incr.aof"), "*2\r\n$4\r\nINCR\r\n$1\r\nc\r\n");
        Files.writeString(d.resolve("a.manifest"), "file a.1.base.aof seq 1 type b\nfile a.2.incr.aof seq 2 type i\n");
        String manifest = d.resolve("a.manifest").toString();
        Run r = check("y\n", "--fix", manifest);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Start to check BASE AOF (RESP format).\n")
                .endsWith("Failed to truncate AOF a.1.base.aof because it is not the last file\n");
        assertThat(r.out()).isEqualTo(RealRedis.runProgram("y\n", "redis-check-aof", "--fix", manifest).output());
        assertThat(Files.size(d.resolve("a.1.base.aof"))).isEqualTo(base.length());
    }

    @Test
    void rdbPreambleAof() throws Exception {
        byte[] rdb = Files.readAllBytes(realAof.resolve(BASE));
        byte[] tail = "*2\r\n$3\r\nDEL\r\n$1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] aof = Arrays.copyOf(rdb, rdb.length + tail.length);
        System.arraycopy(tail, 0, aof, rdb.length, tail.length);
        Path p = dir.resolve("appendonly.aof");
        Files.write(p, aof);
        Run r = check("", p.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("RDB preamble is OK, proceeding with AOF tail...\n")
                .contains("ok_up_to=" + aof.length + ",").isEqualTo(redisCheckAof(p.toString()).output());

        aof[rdb.length - 3] ^= 1;                             // the RDB part's checksum
        Files.write(p, aof);
        Run bad = check("", p.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("RDB CRC error").endsWith("RDB preamble of AOF file is not sane, aborting.\n");
        assertThat(redisCheckAof(p.toString()).exit()).isEqualTo(1);
    }

    @Test
    void manifestErrors() throws Exception {
        Path m = dir.resolve("x.manifest");
        Files.writeString(m, "file a.aof seq 1 type b\nfile b.aof seq 2 type b\n");
        Run dup = check("", m.toString());
        assertThat(dup.exit()).isEqualTo(1);
        assertThat(dup.out()).contains("Reading the manifest file, at line 2\n>>> 'file b.aof seq 2 type b'\n")
                .endsWith("Found duplicate base file information\n");
        Files.writeString(m, "file a.aof seq 1 type i\nfile b.aof seq 1 type i\n");
        assertThat(check("", m.toString()).out()).endsWith("Found a non-monotonic sequence number\n");
        Files.writeString(m, "file a.aof seq 1\n");
        assertThat(check("", m.toString()).out()).endsWith("Invalid AOF manifest file format\n");
        Files.writeString(m, "file missing.aof seq 1 type i\n");
        Run missing = check("", m.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).endsWith("Cannot open file " + dir.resolve("missing.aof") + ": No such file or directory, aborting...\n");
        assertThat(Files.exists(dir.resolve("missing.aof"))).isFalse();
    }

    @Test
    void emptyAndUsage() throws Exception {
        Path p = dir.resolve("empty.aof");
        Files.write(p, new byte[0]);
        Run r = check("", p.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("Start checking Old-Style AOF\nAOF " + p + " is empty\n")
                .isEqualTo(redisCheckAof(p.toString()).output());
        Run u = check("");
        assertThat(u.exit()).isEqualTo(1);
        assertThat(u.out()).startsWith("Usage: keydb-check-aof [--fix|--truncate-to-timestamp $timestamp]");
        assertThat(check("", "--fixx", p.toString()).exit()).isEqualTo(1);
    }

    /**
     * Files written by our own server (src/test/resources/ours-aof: an RDB base after a
     * BGREWRITEAOF, an incr file with #TS annotations, SELECTs, MULTI/EXEC and rewritten
     * commands) pass both checkers, and a torn copy is repaired by --fix.
     */
    @Test
    void acceptsTheAofOurServerWrites() throws Exception {
        Path ours = Path.of("src/test/resources/ours-aof");
        for (String f : new String[] {MANIFEST, "appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof"}) {
            Files.copy(ours.resolve(f), dir.resolve(f));
        }
        Run r = check("", dir.resolve(MANIFEST).toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("BASE AOF appendonly.aof.2.base.rdb is valid", "INCR AOF appendonly.aof.2.incr.aof is valid",
                "All AOF files and manifest are valid");
        Process p = new ProcessBuilder("redis-check-aof", dir.resolve(MANIFEST).toString()).redirectErrorStream(true).start();
        String redis = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(redis).isZero();
        assertThat(redis).contains("All AOF files and manifest are valid");

        Path incr = dir.resolve("appendonly.aof.2.incr.aof");
        byte[] b = Files.readAllBytes(incr);
        Files.write(incr, Arrays.copyOf(b, b.length - 5));
        assertThat(check("", dir.resolve(MANIFEST).toString()).exit()).isNotZero();
        Run fixed = check("y\n", "--fix", dir.resolve(MANIFEST).toString());
        assertThat(fixed.exit()).as(fixed.out()).isZero();
        assertThat(check("", dir.resolve(MANIFEST).toString()).exit()).isZero();
    }
}
