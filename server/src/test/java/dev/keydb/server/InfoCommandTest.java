package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** INFO: Redis 7.0's sections, their order, field names and the RESP2/RESP3 reply shapes. */
class InfoCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = server.connectFlushed();
    }

    @AfterEach
    void disconnect() throws Exception {
        c.close();
    }

    /** The body of a bulk reply. */
    private static String body(String reply) {
        assertThat(reply).startsWith("$");
        String body = reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
        assertThat(reply).startsWith("$" + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n");
        return body;
    }

    private static List<String> headers(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r\n")) {
            if (line.startsWith("# ")) {
                out.add(line.substring(2));
            }
        }
        return out;
    }

    /** field -> value of every "field:value" line. */
    private static Map<String, String> fields(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return out;
    }

    @Test
    void defaultSectionsInRedisOrder() throws Exception {
        String text = body(c.call("INFO"));
        assertThat(headers(text)).containsExactly("Server", "Clients", "Memory", "Persistence", "Stats",
                "Replication", "CPU", "Modules", "Errorstats", "Cluster", "Keyspace");
        assertThat(text).startsWith("# Server\r\nredis_version:7.0.15\r\n").endsWith("\r\n").doesNotContain("\r\n\r\n\r\n");
        assertThat(text).contains("\r\n\r\n# Clients\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        assertThat(headers(body(c.call("INFO", "default")))).isEqualTo(headers(text));
    }

    @Test
    void allEverythingAndSeveralSections() throws Exception {
        assertThat(headers(body(c.call("INFO", "all")))).containsExactly("Server", "Clients", "Memory", "Persistence",
                "Stats", "Replication", "CPU", "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace");
        assertThat(headers(body(c.call("INFO", "everything")))).contains("Commandstats");
        // Several sections, any case, answered in Redis's order.
        assertThat(headers(body(c.call("INFO", "keyspace", "CPU", "server")))).containsExactly("Server", "CPU", "Keyspace");
        assertThat(headers(body(c.call("INFO", "default", "commandstats")))).contains("Commandstats", "Keyspace");
        assertThat(c.call("INFO", "nosuchsection")).isEqualTo("$0\r\n\r\n");
    }

    @Test
    void serverSection() throws Exception {
        Map<String, String> f = fields(body(c.call("INFO", "server")));
        assertThat(f).containsEntry("redis_version", "7.0.15").containsEntry("redis_git_sha1", "00000000")
                .containsEntry("redis_git_dirty", "0").containsEntry("redis_mode", "standalone")
                .containsEntry("arch_bits", "64").containsEntry("tcp_port", Integer.toString(server.port()))
                .containsEntry("process_id", Long.toString(ProcessHandle.current().pid()))
                .containsEntry("run_id", server.server().runId()).containsEntry("hz", "10")
                .containsEntry("configured_hz", "10").containsEntry("io_threads_active", "0")
                .containsEntry("server_threads", "2").containsEntry("config_file", "");
        assertThat(f.get("multiplexing_api")).isIn("epoll", "nio");
        assertThat(f.get("run_id")).matches("[0-9a-f]{40}");
        assertThat(f).containsKeys("redis_build_id", "os", "server_time_usec", "uptime_in_seconds", "uptime_in_days",
                "executable", "lru_clock");
        long usec = Long.parseLong(f.get("server_time_usec"));
        assertThat(Math.abs(usec / 1000 - System.currentTimeMillis())).isLessThan(10_000);
    }

    @Test
    void clientsMemoryPersistenceReplicationCpuClusterSections() throws Exception {
        Map<String, String> f = fields(body(c.call("INFO", "clients", "memory", "persistence", "replication", "cpu", "cluster")));
        assertThat(Integer.parseInt(f.get("connected_clients"))).isGreaterThanOrEqualTo(1);
        assertThat(f).containsEntry("cluster_connections", "0").containsEntry("maxclients", "10000")
                .containsEntry("blocked_clients", "0").containsEntry("tracking_clients", "0")
                .containsEntry("clients_in_timeout_table", "0")
                .containsKeys("client_recent_max_input_buffer", "client_recent_max_output_buffer");
        assertThat(Long.parseLong(f.get("used_memory"))).isPositive();
        assertThat(Long.parseLong(f.get("used_memory_peak"))).isGreaterThanOrEqualTo(Long.parseLong(f.get("used_memory")));
        assertThat(Long.parseLong(f.get("used_memory_rss"))).isPositive();
        assertThat(f.get("used_memory_human")).matches("[0-9.]+[BKMGTP]");
        assertThat(f).containsEntry("maxmemory", "0").containsEntry("maxmemory_human", "0B")
                .containsEntry("maxmemory_policy", "noeviction")
                .containsKeys("mem_fragmentation_ratio", "total_system_memory", "used_memory_peak_perc");
        assertThat(f.get("mem_allocator")).startsWith("jvm-").isNotEqualTo("jvm-unknown");
        assertThat(f).containsEntry("loading", "0").containsEntry("rdb_bgsave_in_progress", "0")
                .containsEntry("aof_enabled", "0").containsEntry("rdb_last_bgsave_status", "ok")
                .containsKeys("rdb_changes_since_last_save", "rdb_last_save_time");
        assertThat(f).containsEntry("role", "master").containsEntry("connected_slaves", "0")
                .containsEntry("master_repl_offset", "0").containsEntry("second_repl_offset", "-1");
        assertThat(f.get("master_replid")).matches("[0-9a-f]{40}").isNotEqualTo(f.get("run_id"));
        assertThat(f.get("used_cpu_user")).matches("\\d+\\.\\d{6}");
        assertThat(f.get("used_cpu_sys")).matches("\\d+\\.\\d{6}");
        assertThat(f).containsEntry("cluster_enabled", "0");
    }

    @Test
    void statsCommandstatsErrorstatsKeyspace() throws Exception {
        c.call("SET", "a", "1");
        c.call("SET", "b", "2", "EX", "100");
        c.call("SELECT", "3");
        c.call("SET", "c", "3");
        c.call("GET", "c");
        c.call("GET", "nope");
        c.call("NOSUCHCOMMAND");
        c.call("INCR", "c"); // value is not an integer? it is: 3 -> 4
        c.call("SET", "s", "x");
        c.call("INCR", "s"); // fails
        String text = body(c.call("INFO", "stats", "commandstats", "errorstats", "keyspace"));
        Map<String, String> f = fields(text);
        assertThat(f).containsKeys("total_connections_received", "total_commands_processed", "instantaneous_ops_per_sec",
                "total_net_input_bytes", "total_net_output_bytes", "instantaneous_input_kbps", "instantaneous_output_kbps",
                "rejected_connections", "expired_keys", "evicted_keys", "keyspace_hits", "keyspace_misses",
                "total_error_replies", "client_query_buffer_limit_disconnections");
        assertThat(f.get("instantaneous_input_kbps")).matches("\\d+\\.\\d{2}");
        assertThat(Long.parseLong(f.get("keyspace_hits"))).isGreaterThanOrEqualTo(1);
        assertThat(Long.parseLong(f.get("total_error_replies"))).isGreaterThanOrEqualTo(2);
        assertThat(text).containsPattern("cmdstat_set:calls=\\d+,usec=\\d+,usec_per_call=\\d+\\.\\d{2},rejected_calls=0,failed_calls=0\r\n");
        assertThat(text).containsPattern("cmdstat_incr:calls=\\d+,usec=\\d+,usec_per_call=[0-9.]+,rejected_calls=0,failed_calls=[1-9]");
        assertThat(text).containsPattern("cmdstat_flushall:calls=\\d+");
        assertThat(text).containsPattern("errorstat_ERR:count=\\d+\r\n");
        assertThat(text).contains("db0:keys=2,expires=1,avg_ttl=0\r\n").contains("db3:keys=2,expires=0,avg_ttl=0\r\n")
                .doesNotContain("db1:");
    }

    @Test
    void subcommandStatsUseTheirFullName() throws Exception {
        c.call("CONFIG", "GET", "hz");
        c.call("CONFIG", "GET");
        String text = body(c.call("INFO", "commandstats"));
        assertThat(text).containsPattern("cmdstat_config\\|get:calls=\\d+,usec=\\d+,usec_per_call=[0-9.]+,rejected_calls=[1-9]\\d*,failed_calls=0");
    }

    @Test
    void verbatimInResp3() throws Exception {
        c.call("HELLO", "3");
        String reply = c.call("INFO", "cluster");
        String text = "# Cluster\r\ncluster_enabled:0\r\n";
        assertThat(reply).isEqualTo("=" + (text.length() + 4) + "\r\ntxt:" + text + "\r\n");
    }

    @Test
    void expiredKeysAreCounted() throws Exception {
        c.call("SET", "x", "1", "PX", "1");
        Thread.sleep(20);
        c.call("GET", "x");
        assertThat(fields(body(c.call("INFO", "stats"))).get("expired_keys")).isNotEqualTo("0");
    }

    @Test
    void hzFollowsConfigSet() throws Exception {
        try {
            c.call("CONFIG", "SET", "hz", "40");
            assertThat(fields(body(c.call("INFO", "server")))).containsEntry("hz", "40").containsEntry("configured_hz", "40");
        } finally {
            c.call("CONFIG", "SET", "hz", "10");
        }
    }
}
