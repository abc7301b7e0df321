package dev.keydb.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian redis-server started by a test on a free 127.0.0.1 port, persistence off,
 * in a temporary directory. Fails loudly when redis-server is not installed: the
 * compatibility tests are part of the suite, not optional.
 */
public final class RealRedis implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RealRedis(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static RealRedis start(String... extraArgs) {
        try {
            Path dir = Files.createTempDirectory("real-redis");
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                    "--enable-debug-command", "yes", "--loglevel", "warning"));
            cmd.addAll(List.of(extraArgs));
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("redis-server is required for compatibility tests "
                        + "(apt-get install redis-server): " + e.getMessage(), e);
            }
            RealRedis r = new RealRedis(p, port, dir);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (RawConnection c = new RawConnection(port)) {
                    if (c.call("PING").equals("+PONG\r\n")) {
                        return r;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            r.close();
            throw new IllegalStateException("redis-server did not start on port " + port);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The server's own temporary directory (its default dir; a test may pass another --dir). */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory
        }
    }
}
