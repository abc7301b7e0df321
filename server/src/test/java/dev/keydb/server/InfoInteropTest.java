package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * INFO against a real redis-server 7.0: every field Redis prints in a section, ours prints too,
 * in the same order (monitoring tools and Sentinel parse them); ours may add its own (java_*,
 * jvm_*, server_threads). Values are checked by the feature tests.
 */
class InfoInteropTest {
    private static final String[] SECTIONS = {"server", "clients", "memory", "persistence", "stats", "replication", "cpu"};

    @Test
    void everyRedisFieldIsThereInRedisOrder() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestServer ours = TestServer.start();
                RawConnection theirs = new RawConnection(redis.port()); RawConnection mine = new RawConnection(ours.port())) {
            for (String section : SECTIONS) {
                List<String> expected = fields(theirs.call("INFO", section));
                List<String> actual = fields(mine.call("INFO", section));
                assertThat(actual).as("INFO %s", section).containsSubsequence(expected);
            }
        }
    }

    /** The fields added for parity carry real figures: scripts, functions, Lua memory, reads and writes. */
    @Test
    void scriptAndTrafficFiguresAreReal() throws Exception {
        try (TestServer ours = TestServer.start(); RawConnection c = new RawConnection(ours.port())) {
            assertThat(field(c, "memory", "number_of_cached_scripts")).isEqualTo("0");
            assertThat(field(c, "memory", "used_memory_vm_eval")).isEqualTo("0"); // created on first use
            c.call("SCRIPT", "LOAD", "return 'abc'");
            c.call("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f1', function() return 1 end)"
                    + " redis.register_function('f2', function() return 2 end)");
            assertThat(field(c, "memory", "number_of_cached_scripts")).isEqualTo("1");
            assertThat(field(c, "memory", "used_memory_scripts_eval")).isEqualTo("12");
            assertThat(field(c, "memory", "number_of_libraries")).isEqualTo("1");
            assertThat(field(c, "memory", "number_of_functions")).isEqualTo("2");
            assertThat(Long.parseLong(field(c, "memory", "used_memory_vm_eval"))).isGreaterThan(10_000);
            assertThat(Long.parseLong(field(c, "memory", "used_memory_vm_functions"))).isGreaterThan(10_000);
            long reads = Long.parseLong(field(c, "stats", "total_reads_processed"));
            long writes = Long.parseLong(field(c, "stats", "total_writes_processed"));
            c.call("PING");
            c.call("PING"); // two reads and writes, plus the INFO that read the writes and the one reading now
            assertThat(Long.parseLong(field(c, "stats", "total_reads_processed"))).isEqualTo(reads + 4);
            assertThat(Long.parseLong(field(c, "stats", "total_writes_processed"))).isEqualTo(writes + 4);
            c.call("SCRIPT", "FLUSH");
            assertThat(field(c, "memory", "used_memory_scripts_eval")).isEqualTo("0");
        }
    }

    private static String field(RawConnection c, String section, String name) throws Exception {
        return c.info(section, name);
    }

    private static List<String> fields(String bulk) {
        List<String> names = new ArrayList<>();
        for (String line : bulk.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("$") && !line.startsWith("#")) {
                names.add(line.substring(0, colon));
            }
        }
        return names;
    }
}
