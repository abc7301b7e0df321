package dev.keydb.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Our server in a child JVM ({@code dev.keydb.server.Main} on the test classpath), on a free
 * 127.0.0.1 port with the given data directory, for tests that must kill a server outright
 * (SIGKILL: nothing of the JVM runs on the way out) and restart it on the same files. The
 * child's output goes to {@code keydb-child-<port>.log} in the directory.
 */
public final class ChildServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ChildServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a child with {@code --dir dir} and the given "--name value" directives; waits until it answers PING. */
    public static ChildServer start(Path dir, String... directives) {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "--bind", "127.0.0.1", "--port", Integer.toString(port), "--dir", dir.toString(),
                    "--server-threads", "2", "--loglevel", "notice"));
            cmd.addAll(List.of(directives));
            Path log = dir.resolve("keydb-child-" + port + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ChildServer child = new ChildServer(p, port, log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try (RawConnection c = new RawConnection(port)) {
                    if (c.call("PING").equals("+PONG\r\n")) {
                        return child;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            child.kill();
            throw new IllegalStateException("the child server did not start on port " + port + "; see " + log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** The exit status once the process ended within {@code millis}, else null. */
    public Integer awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** SIGKILL, then waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (the server's orderly shutdown), SIGKILL if it is still there after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
