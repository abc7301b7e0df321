package dev.keydb.server;

import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.resp.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clients in MONITOR mode and the feed of executed commands to them (Redis's server.monitors
 * and replicationFeedMonitors). Each executed command is rendered once as Redis's status line
 * {@code +1700000000.123456 [0 127.0.0.1:54321] "SET" "k" "v"} and written to every monitor's
 * channel, charged to {@code client-output-buffer-limit} of the normal class (Redis exposes
 * monitors as normal clients). The line is formatted straight into one reused byte array (no
 * per-command allocation) and appended to a per-monitor buffer that the monitor's
 * event loop flushes in one write, so a busy server costs a monitor one task per loop turn
 * rather than one per command. All methods run under the keyspace lock.
 */
public final class Monitors {
    /** processCommand's refusal of keyspace commands from a replica-flagged (monitor) client. */
    public static final String KEYSPACE_DENIED = "ERR Replica can't interact with the keyspace";
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final Map<Client, Sink> monitors = new LinkedHashMap<>();
    private static final byte[] LUA = "lua".getBytes(StandardCharsets.US_ASCII);
    /** The line being fed (formatted once per command, under the keyspace lock). */
    private final Line line = new Line();
    /** Formatted addresses of the clients seen since a monitor attached (weak: gone with the client). */
    private final Map<Client, byte[]> addresses = new java.util.WeakHashMap<>();

    /** Lines produced for one monitor and not yet handed to its channel (guarded by itself). */
    private static final class Sink {
        ByteBuf pending;
        boolean scheduled;
    }

    Monitors(Server server) {
        this.server = server;
    }

    public boolean isEmpty() {
        return monitors.isEmpty();
    }

    public int size() {
        return monitors.size();
    }

    /** Whether {@code c} is in MONITOR mode (CLIENT LIST flag 'O'). */
    public boolean contains(Client c) {
        return !monitors.isEmpty() && monitors.containsKey(c);
    }

    /** MONITOR: returns false when the client already was a monitor. */
    public boolean add(Client c) {
        return monitors.putIfAbsent(c, new Sink()) == null;
    }

    /** RESET (or disconnect) leaves monitor mode. */
    public void remove(Client c) {
        monitors.remove(c);
    }

    /** The monitor clients (INFO, MEMORY STATS). */
    public List<Client> all() {
        return new ArrayList<>(monitors.keySet());
    }

    /**
     * Whether a monitor may not run {@code spec}: Redis flags monitors as replicas and refuses
     * them commands that read, write or may replicate.
     */
    public static boolean touchesKeyspace(CommandSpec spec) {
        return spec.has(CommandFlag.READONLY) || spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE);
    }

    /** Redis shows neither admin commands nor those flagged skip_monitor. */
    public static boolean shown(CommandSpec spec) {
        return !spec.has(CommandFlag.ADMIN) && !spec.has(CommandFlag.SKIP_MONITOR);
    }

    /**
     * Feeds a command the client {@code from} executed in database {@code db}. The line to the
     * executing client itself (a monitor running PING) goes into its current reply buffer, after
     * the command's own reply, as Redis appends it.
     */
    public void feed(Client from, Reply fromReply, CommandSpec spec, byte[][] argv, int db) {
        if (!shown(spec)) {
            return;
        }
        line.format(db, addressOf(from), redact(spec, argv));
        feedLine(from, fromReply);
    }

    /**
     * Feeds a command whatever its flags: EVAL, EVALSHA and FCALL are flagged skip_monitor and
     * feed themselves before they run (Redis's evalCommand), so that the commands of the
     * script come after the script's own line.
     */
    public void feedUnconditionally(Client from, Reply fromReply, byte[][] argv, int db) {
        line.format(db, addressOf(from), argv);
        feedLine(from, fromReply);
    }

    /** The client's address as monitor lines show it, formatted once per client ("lua" for the script client). */
    private byte[] addressOf(Client c) {
        byte[] a = addresses.get(c);
        if (a == null) {
            String s = c.channel() == null ? null : c.address();
            a = s == null ? LUA : s.getBytes(StandardCharsets.ISO_8859_1);
            addresses.put(c, a);
        }
        return a;
    }

    /** Hands the line in {@link #line} to every monitor. */
    private void feedLine(Client from, Reply fromReply) {
        List<Client> gone = null;
        int length = line.length;
        for (Map.Entry<Client, Sink> e : monitors.entrySet()) {
            Client m = e.getKey();
            if (m.killed() || m.channel() == null || !m.channel().isActive()) {
                if (gone == null) {
                    gone = new ArrayList<>();
                }
                gone.add(m);
                continue;
            }
            if (m == from && fromReply != null && fromReply.buffer() != null) {
                fromReply.buffer().writeBytes(line.bytes, 0, length);
                continue;
            }
            OutputLimits.Verdict v = server.outputLimits().charge(m, length, dev.keydb.server.config.ClientOutputBufferLimits.Class.NORMAL);
            if (v != OutputLimits.Verdict.OK) {
                Log.warning("Client id=" + m.id() + " addr=" + m.address()
                        + " scheduled to be closed ASAP for overcoming of output buffer limits.");
                m.kill();
                if (gone == null) {
                    gone = new ArrayList<>();
                }
                gone.add(m);
                continue;
            }
            server.stats().wrote(length);
            append(m, e.getValue(), line.bytes, length);
        }
        if (gone != null) {
            gone.forEach(monitors::remove);
        }
    }

    private void append(Client m, Sink sink, byte[] bytes, int length) {
        boolean schedule;
        synchronized (sink) {
            if (sink.pending == null) {
                sink.pending = ByteBufAllocator.DEFAULT.ioBuffer(Math.max(4096, length));
            }
            sink.pending.writeBytes(bytes, 0, length);
            schedule = !sink.scheduled;
            sink.scheduled = true;
        }
        if (schedule) {
            m.channel().eventLoop().execute(() -> drain(m, sink));
        }
    }

    /** On the monitor's event loop: hands everything appended so far to the channel in one write. */
    private void drain(Client m, Sink sink) {
        ByteBuf out;
        synchronized (sink) {
            out = sink.pending;
            sink.pending = null;
            sink.scheduled = false;
        }
        if (out == null) {
            return;
        }
        if (!m.channel().isActive()) {
            out.release();
            return;
        }
        int size = out.readableBytes();
        m.channel().writeAndFlush(out).addListener(f -> server.outputLimits().written(m, size));
    }

    /** Redis's monitor line: "+sec.usec [db addr] "arg" ...\r\n", addr "lua" for scripts. */
    static byte[] line(int db, String address, byte[][] argv) {
        Line l = new Line();
        l.format(db, address == null ? LUA : address.getBytes(StandardCharsets.ISO_8859_1), argv);
        return java.util.Arrays.copyOf(l.bytes, l.length);
    }

    /**
     * A monitor line formatted straight into bytes, reused for every command (under the
     * keyspace lock): no StringBuilder, no String, no per-argument allocation.
     */
    static final class Line {
        byte[] bytes = new byte[256];
        int length;

        void format(int db, byte[] address, byte[][] argv) {
            java.time.Instant now = java.time.Instant.now();
            length = 0;
            ensure(64 + address.length);
            bytes[length++] = '+';
            decimal(now.getEpochSecond());
            bytes[length++] = '.';
            int micros = now.getNano() / 1000;
            for (int div = 100_000; div > 0; div /= 10) {
                bytes[length++] = (byte) ('0' + micros / div % 10);
            }
            bytes[length++] = ' ';
            bytes[length++] = '[';
            decimal(db);
            bytes[length++] = ' ';
            System.arraycopy(address, 0, bytes, length, address.length);
            length += address.length;
            bytes[length++] = ']';
            bytes[length++] = ' ';
            for (int j = 0; j < argv.length; j++) {
                repr(argv[j]);
                if (j != argv.length - 1) {
                    bytes[length++] = ' ';
                }
            }
            ensure(2);
            bytes[length++] = '\r';
            bytes[length++] = '\n';
        }

        private void decimal(long v) {
            if (v < 0) {
                bytes[length++] = '-';
                v = -v;
            }
            int start = length;
            do {
                bytes[length++] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
            for (int a = start, b = length - 1; a < b; a++, b--) {
                byte t = bytes[a];
                bytes[a] = bytes[b];
                bytes[b] = t;
            }
        }

        /** sdscatrepr into the line, plus one byte of room for the separator. */
        private void repr(byte[] s) {
            ensure(s.length * 4 + 3);
            byte[] out = bytes;
            int n = length;
            out[n++] = '"';
            for (byte x : s) {
                int c = x & 0xFF;
                byte esc = ESCAPES[c];
                if (esc == 0) {
                    out[n++] = x;
                } else if (esc != 'x') {
                    out[n++] = '\\';
                    out[n++] = esc;
                } else {
                    out[n++] = '\\';
                    out[n++] = 'x';
                    out[n++] = HEX[c >> 4];
                    out[n++] = HEX[c & 15];
                }
            }
            out[n++] = '"';
            length = n;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Per byte: 0 when printed as is, the letter after the backslash, or 'x' for \\xHH. */
    private static final byte[] ESCAPES = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            ESCAPES[c] = (byte) (c >= 0x20 && c <= 0x7e ? 0 : 'x');
        }
        ESCAPES['\\'] = '\\';
        ESCAPES['"'] = '"';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
        ESCAPES['\t'] = 't';
        ESCAPES[7] = 'a';
        ESCAPES['\b'] = 'b';
    }

    /**
     * The arguments as MONITOR and SLOWLOG show them: passwords replaced by "(redacted)" where
     * Redis's commands call redactClientCommandArgument (AUTH, HELLO ... AUTH user pass). The
     * array is copied only when something is redacted.
     */
    public static byte[][] redact(CommandSpec spec, byte[][] argv) {
        String name = spec.parent() == null ? spec.name() : spec.parent().name();
        if (name.equals("auth")) {
            if (argv.length > 3) {
                return argv; // a syntax error before any redaction, as authCommand
            }
            byte[][] out = argv.clone();
            for (int j = 1; j < out.length; j++) {
                out[j] = REDACTED;
            }
            return out;
        }
        if (name.equals("hello") && argv.length > 2) {
            Long ver = dev.keydb.storage.Numbers.parseLongOrNull(argv[1]);
            if (ver == null || ver < 2 || ver > 3) {
                return argv; // NOPROTO / not an integer: refused before the options are parsed
            }
            byte[][] out = null;
            for (int j = 2; j < argv.length; j++) {
                int more = argv.length - 1 - j;
                String opt = new String(argv[j], StandardCharsets.ISO_8859_1);
                if (opt.equalsIgnoreCase("AUTH") && more >= 2) {
                    if (out == null) {
                        out = argv.clone();
                    }
                    out[j + 1] = REDACTED;
                    out[j + 2] = REDACTED;
                    j += 2;
                } else if (opt.equalsIgnoreCase("SETNAME") && more >= 1) {
                    j++;
                } else {
                    break;
                }
            }
            return out == null ? argv : out;
        }
        return argv;
    }
}
