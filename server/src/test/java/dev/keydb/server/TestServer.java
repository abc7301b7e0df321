package dev.keydb.server;

import dev.keydb.server.config.ConfigFileReader;
import dev.keydb.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An in-process server for tests: loopback only, an ephemeral port, a temporary data
 * directory, and any directives given as "--name value" pairs. Close it to stop it.
 */
public final class TestServer implements AutoCloseable {
    private final Server server;
    private final Path dir;

    private TestServer(Server server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    public static TestServer start(String... directives) {
        return startWithConfigFile(null, directives);
    }

    /**
     * As redis-server FILE --name value...: loads {@code configFile} (which CONFIG REWRITE then
     * rewrites), then the test defaults, then {@code directives}. A null file starts without one.
     */
    public static TestServer startWithConfigFile(Path configFile, String... directives) {
        try {
            Path dir = Files.createTempDirectory("keydb-test");
            ServerConfig config = new ServerConfig();
            ConfigFileReader reader = new ConfigFileReader(config.registry());
            if (configFile != null) {
                reader.loadFile(configFile);
                config.configFile = configFile.toAbsolutePath().toString();
            }
            List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--dir", dir.toString(),
                    "--server-threads", "2", "--loglevel", "warning"));
            args.addAll(List.of(directives));
            reader.loadArguments(args);
            Server server = new Server(config);
            server.start();
            return new TestServer(server, dir);
        } catch (IOException | InterruptedException | ConfigFileReader.FatalConfigError e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.port();
    }

    public Server server() {
        return server;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        server.shutdown();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory; nothing to keep
        }
    }
}
