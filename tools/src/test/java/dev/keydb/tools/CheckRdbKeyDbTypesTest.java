package dev.keydb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.Keyspace;
import dev.keydb.storage.rdb.RdbWriter;
import dev.keydb.storage.types.CronJob;
import dev.keydb.storage.types.NestedHashValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keydb-check-rdb accepts files holding KeyDB's cron jobs (type 64) and this server's nested
 * hashes (type 65); Debian's redis-check-rdb rejects them, as Redis knows neither.
 */
class CheckRdbKeyDbTypesTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void cronJobsAndNestedHashesAreAcceptedHereOnly() throws Exception {
        long now = System.currentTimeMillis();
        Keyspace ks = new Keyspace(16);
        ks.db(0).set(b("plain"), b("v"), now);
        ks.db(0).set(b("job"), new CronJob(b("redis.call('incr', KEYS[1])"), true, now, 1000,
                new byte[][] {b("counter")}, new byte[0][]), now);
        NestedHashValue nh = new NestedHashValue();
        NestedHashValue inner = new NestedHashValue();
        inner.put(b("c"), new byte[][] {b("x"), b("y")});
        nh.put(b("b"), inner);
        nh.put(b("s"), b("string"));
        ks.db(1).set(b("nh"), nh, now, now + 100_000);
        Path p = dir.resolve("keydb.rdb");
        try (var out = Files.newOutputStream(p)) {
            RdbWriter.save(ks, out, new RdbWriter.Options("7.0.15", true, true, 0));
        }
        CheckRdbTest.Run ours = CheckRdbTest.check(p.toString());
        assertThat(ours.exit()).as(ours.out()).isZero();
        assertThat(ours.out()).contains("\\o/ RDB looks OK! \\o/", "[info] 3 keys read", "[info] 1 expires",
                "AUX FIELD keydb-subexpire-key = 'job'", "AUX FIELD keydb-jvm-cron-single = '1'");

        RealRedis.Result real = RealRedis.runProgram("", "redis-check-rdb", p.toString());
        assertThat(real.exit()).as(real.output()).isNotZero();
        assertThat(real.output()).contains("Invalid object type: 64");
    }

    @Test
    void aDamagedNestedHashIsReportedWithItsTypeName() throws Exception {
        long now = System.currentTimeMillis();
        Keyspace ks = new Keyspace(16);
        NestedHashValue nh = new NestedHashValue();
        nh.put(b("field"), b("value"));
        ks.db(0).set(b("nh"), nh, now);
        Path p = dir.resolve("damaged.rdb");
        try (var out = Files.newOutputStream(p)) {
            RdbWriter.save(ks, out, new RdbWriter.Options("7.0.15", false, true, 0));
        }
        byte[] file = Files.readAllBytes(p);
        // the kind byte after "field": 0 (string) becomes 7
        int at = indexOf(file, b("field")) + 5;
        assertThat(file[at]).isEqualTo((byte) 0);
        file[at] = 7;
        Files.write(p, file);
        CheckRdbTest.Run ours = CheckRdbTest.check(p.toString());
        assertThat(ours.exit()).isEqualTo(1);
        assertThat(ours.out()).contains("--- RDB ERROR DETECTED ---", "unknown nested hash child kind 7",
                "Reading type 65 (keydb-jvm-nested-hash)");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
