package dev.keydb.server;

import dev.keydb.server.config.ConfigFileReader;
import dev.keydb.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point, taking what {@code redis-server} takes: an optional config file (or "-" for
 * standard input), then {@code --directive value} pairs that override it.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (!rest.isEmpty() && (rest.get(0).equals("-v") || rest.get(0).equals("--version"))) {
            System.out.println("KeyDB-JVM server v=" + Server.VERSION + " java=" + Runtime.version());
            return;
        }
        if (!rest.isEmpty() && (rest.get(0).equals("-h") || rest.get(0).equals("--help"))) {
            System.out.println("Usage: keydb-server [/path/to/keydb.conf] [options] [-]\n"
                    + "       keydb-server - (read config from stdin)\n"
                    + "       keydb-server -v or --version\n"
                    + "Examples:\n"
                    + "       keydb-server (run the server with default config)\n"
                    + "       keydb-server conf/keydb.conf\n"
                    + "       keydb-server --port 7777 --server-threads 4\n"
                    + "       keydb-server conf/keydb.conf --loglevel verbose");
            return;
        }
        ServerConfig config = new ServerConfig();
        ConfigFileReader reader = new ConfigFileReader(config.registry());
        try {
            if (!rest.isEmpty() && !rest.get(0).startsWith("--")) {
                String file = rest.remove(0);
                if (file.equals("-")) {
                    Path tmp = Files.createTempFile("keydb-stdin", ".conf");
                    Files.write(tmp, System.in.readAllBytes());
                    reader.loadFile(tmp);
                    Files.delete(tmp);
                } else {
                    Path p = Path.of(file).toAbsolutePath();
                    reader.loadFile(p);
                    config.configFile = p.toString();
                }
            }
            reader.loadArguments(rest);
        } catch (ConfigFileReader.FatalConfigError e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        Log.configure(config.loglevel, config.logfile);
        Log.notice("KeyDB-JVM " + Server.VERSION + " starting on Java " + Runtime.version() + " ("
                + System.getProperty("java.vm.name") + ", " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB max heap)");
        if (config.configFile.isEmpty()) {
            Log.warning("Warning: no config file specified, using the default config. In order to specify a config file use keydb-server /path/to/keydb.conf");
        }
        Server server = new Server(config);
        server.onExit(() -> Runtime.getRuntime().halt(0));
        try {
            server.start();
        } catch (RuntimeException e) {
            Log.warning(e.getMessage());
            System.exit(1);
        }
        writePidFile(config.pidfile);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!server.stopped()) {
                Log.warning("Received SIGTERM scheduling shutdown...");
                server.lock().lock();
                try {
                    server.persistence().saveForShutdown(false, false);
                } catch (IOException | RuntimeException e) {
                    Log.warning("Error trying to save the DB on SIGTERM: " + e.getMessage());
                } finally {
                    server.lock().unlock();
                }
                server.onExit(() -> { });
                server.shutdown();
            }
            removePidFile(config.pidfile);
        }, "keydb-sigterm"));
    }

    private static void writePidFile(String pidfile) throws IOException {
        if (!pidfile.isEmpty()) {
            Files.writeString(Path.of(pidfile), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        }
    }

    private static void removePidFile(String pidfile) {
        if (!pidfile.isEmpty()) {
            try {
                Files.deleteIfExists(Path.of(pidfile));
            } catch (IOException ignored) {
                // best effort on the way out
            }
        }
    }
}
