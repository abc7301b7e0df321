package dev.keydb.tools;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real redis-server on a free 127.0.0.1 port with its files in a directory the test
 * owns (the server module's RealRedis, which tools cannot depend on, in small). Fails loudly
 * when redis-server is not installed: the compatibility tests are part of the suite.
 */
final class RealRedis implements AutoCloseable {
    private final Process process;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RealRedis(Process process, Socket socket) throws IOException {
        this.process = process;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Starts redis-server with {@code --dir dir}, no RDB snapshots, and {@code extraArgs}. */
    static RealRedis start(Path dir, String... extraArgs) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "warning"));
        cmd.addAll(List.of(extraArgs));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is required (apt-get install redis-server): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(10_000);
                RealRedis r = new RealRedis(p, s);
                if (r.call("PING").equals("PONG")) {
                    return r;
                }
                r.close();
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    throw new IllegalStateException("redis-server did not start on port " + port);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Sends a command; the reply as text (arrays as their elements joined by spaces). */
    String call(String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] x = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + x.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(x);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(b.toByteArray());
        out.flush();
        return reply();
    }

    private String reply() throws IOException {
        String l = line();
        switch (l.charAt(0)) {
            case '+', ':' -> {
                return l.substring(1);
            }
            case '-' -> throw new IOException("redis-server replied " + l);
            case '$' -> {
                int n = Integer.parseInt(l.substring(1));
                if (n < 0) {
                    return null;
                }
                byte[] d = in.readNBytes(n + 2);
                return new String(d, 0, n, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(l.substring(1));
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(reply());
                }
                return String.join(" ", items);
            }
            default -> throw new IOException("unexpected reply " + l);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** SHUTDOWN NOSAVE (the AOF is flushed; no RDB is written) and waits for the process. */
    @Override
    public void close() {
        try {
            call("SHUTDOWN", "NOSAVE");
        } catch (IOException expected) {
            // the connection closes as the server exits
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one of Debian's programs (redis-check-aof, redis-check-rdb); its exit status and output. */
    static Result runProgram(String input, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(input.getBytes(StandardCharsets.US_ASCII));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
        return new Result(p.exitValue(), output);
    }

    record Result(int exit, String output) {}
}
