package dev.keydb.server.config;

import static dev.keydb.server.config.Directives.bool;
import static dev.keydb.server.config.Directives.enumeration;
import static dev.keydb.server.config.Directives.list;
import static dev.keydb.server.config.Directives.memory;
import static dev.keydb.server.config.Directives.multi;
import static dev.keydb.server.config.Directives.number;
import static dev.keydb.server.config.Directives.string;

import java.util.List;

/**
 * The server's settings as typed fields that hot paths read directly, each declared once as a
 * directive in {@link #registry()} with Redis's name, default and bounds. Fields are volatile:
 * CONFIG SET runs under the keyspace lock but event loops read some of them outside it.
 */
public final class ServerConfig {
    private final ConfigRegistry registry = new ConfigRegistry();

    public volatile int port;
    public volatile List<String> bind = List.of("127.0.0.1", "-::1");
    public volatile boolean protectedMode;
    public volatile String requirepass = "";
    public volatile int databases;
    public volatile String dir = "./data";
    public volatile int serverThreads;
    public volatile int hz;
    public volatile long timeoutSeconds;
    public volatile long tcpKeepalive;
    public volatile int tcpBacklog;
    public volatile long maxclients;
    public volatile long protoMaxBulkLen;
    public volatile long clientQueryBufferLimit;
    public volatile long maxmemory;
    public volatile String maxmemoryPolicy = "noeviction";
    public volatile long maxmemorySamples;
    public volatile String loglevel = "notice";
    public volatile String logfile = "";
    public volatile String pidfile = "";
    public volatile String enableDebugCommand = "no";
    public volatile boolean activeExpireEnabled = true;
    public volatile String configFile = "";

    public ServerConfig() {
        ConfigRegistry r = registry;
        r.add(number("port", false, 0, 65535, 6379, () -> port, v -> port = (int) v));
        r.add(multi("bind", false, "127.0.0.1 -::1", () -> String.join(" ", bind), words -> {
            if (words.isEmpty()) {
                throw new ConfigException("bind needs at least one address");
            }
            bind = List.copyOf(words);
        }));
        r.add(bool("protected-mode", true, true, () -> protectedMode, v -> protectedMode = v));
        r.add(string("requirepass", true, "", () -> requirepass, v -> { }, v -> requirepass = v));
        r.add(number("databases", false, 1, Integer.MAX_VALUE, 16, () -> databases, v -> databases = (int) v));
        r.add(string("dir", true, "./data", () -> dir, v -> { }, v -> dir = v));
        r.add(number("server-threads", false, 1, 64, Runtime.getRuntime().availableProcessors(),
                () -> serverThreads, v -> serverThreads = (int) v));
        r.add(number("hz", true, 1, 500, 10, () -> hz, v -> hz = (int) v));
        r.add(number("timeout", true, 0, Integer.MAX_VALUE, 0, () -> timeoutSeconds, v -> timeoutSeconds = v));
        r.add(number("tcp-keepalive", true, 0, Integer.MAX_VALUE, 300, () -> tcpKeepalive, v -> tcpKeepalive = v));
        r.add(number("tcp-backlog", false, 0, Integer.MAX_VALUE, 511, () -> tcpBacklog, v -> tcpBacklog = (int) v));
        r.add(number("maxclients", true, 1, Integer.MAX_VALUE, 10000, () -> maxclients, v -> maxclients = v));
        r.add(memory("proto-max-bulk-len", true, 1024 * 1024, Long.MAX_VALUE, 512L * 1024 * 1024,
                () -> protoMaxBulkLen, v -> protoMaxBulkLen = v));
        r.add(memory("client-query-buffer-limit", true, 1024 * 1024, Long.MAX_VALUE, 1024L * 1024 * 1024,
                () -> clientQueryBufferLimit, v -> clientQueryBufferLimit = v));
        r.add(memory("maxmemory", true, 0, Long.MAX_VALUE, 0, () -> maxmemory, v -> maxmemory = v));
        // Eviction arrives with the memory tier; until then only the policy that never evicts is accepted.
        r.add(enumeration("maxmemory-policy", true, "noeviction", list("noeviction"),
                () -> maxmemoryPolicy, v -> maxmemoryPolicy = v));
        r.add(number("maxmemory-samples", true, 1, 64, 5, () -> maxmemorySamples, v -> maxmemorySamples = v));
        r.add(enumeration("loglevel", true, "notice", list("debug", "verbose", "notice", "warning", "nothing"),
                () -> loglevel, v -> loglevel = v));
        r.add(string("logfile", false, "", () -> logfile, v -> { }, v -> logfile = v));
        r.add(string("pidfile", false, "", () -> pidfile, v -> { }, v -> pidfile = v));
        r.add(enumeration("enable-debug-command", false, "no", list("no", "yes", "local"),
                () -> enableDebugCommand, v -> enableDebugCommand = v));
        r.add(number("zset-max-listpack-entries", true, 0, Long.MAX_VALUE, 128, () -> dev.keydb.storage.types.ZSetValue.maxListpackEntries, v -> dev.keydb.storage.types.ZSetValue.maxListpackEntries = v, "zset-max-ziplist-entries"));
        r.add(memory("zset-max-listpack-value", true, 0, Long.MAX_VALUE, 64, () -> dev.keydb.storage.types.ZSetValue.maxListpackValue, v -> dev.keydb.storage.types.ZSetValue.maxListpackValue = v, "zset-max-ziplist-value"));
        registry.resetAll();
    }

    public ConfigRegistry registry() {
        return registry;
    }
}
