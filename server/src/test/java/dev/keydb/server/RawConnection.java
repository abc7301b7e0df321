package dev.keydb.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket to the server for protocol-level tests: sends bytes as given and reads raw
 * RESP replies, with a read timeout so that no test can hang.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawConnection send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.UTF_8));
    }

    public RawConnection send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Sends a command as a RESP multibulk. */
    public RawConnection command(String... args) throws IOException {
        return send(resp(args));
    }

    /** A command as a RESP multibulk (to build pipelines). */
    public static String resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    /** Reads one complete RESP reply and returns its raw text (including CRLFs). */
    public String readReply() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        readValue(buf);
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Sends a command and returns its raw reply. */
    public String call(String... args) throws IOException {
        command(args);
        return readReply();
    }

    /** One field of an INFO section, as text. */
    public String info(String section, String name) throws IOException {
        for (String line : call("INFO", section).split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no INFO field " + name);
    }

    /** Reads one value; aggregates count their elements as still to read (no recursion: replies may nest thousands deep). */
    private void readValue(ByteArrayOutputStream buf) throws IOException {
        long toRead = 1;
        while (toRead > 0) {
            toRead--;
            String line = readLine(buf);
            switch (line.charAt(0)) {
                case '$', '=', '!' -> {
                    int len = Integer.parseInt(line.substring(1));
                    if (len >= 0) {
                        buf.write(in.readNBytes(len + 2));
                    }
                }
                case '*', '~', '>' -> toRead += Math.max(0, Integer.parseInt(line.substring(1)));
                case '%', '|' -> toRead += 2L * Math.max(0, Integer.parseInt(line.substring(1)));
                default -> { }
            }
        }
    }

    private String readLine(ByteArrayOutputStream buf) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after: " + sb);
            }
            buf.write(c);
            if (prev == '\r' && c == '\n') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) c);
            prev = c;
        }
    }

    /** True when the server closed the connection (EOF within the timeout). */
    public boolean isClosedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    /** Waits up to about {@code millis} for the server to close the connection; true if it did. */
    public boolean awaitClosedByPeer(long millis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!isClosedByPeer()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
