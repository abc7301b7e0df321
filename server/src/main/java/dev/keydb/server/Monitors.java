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
 * monitors as normal clients). Lines are appended to a per-monitor buffer that the monitor's
 * event loop flushes in one write, so a busy server costs a monitor one task per loop turn
 * rather than one per command. All methods run under the keyspace lock.
 */
public final class Monitors {
    /** processCommand's refusal of keyspace commands from a replica-flagged (monitor) client. */
    public static final String KEYSPACE_DENIED = "ERR Replica can't interact with the keyspace";
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final Map<Client, Sink> monitors = new LinkedHashMap<>();

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
        feedLine(from, fromReply, line(db, from.address(), redact(spec, argv)));
    }

    /** A command a script ran (the address shows as "lua"), for the scripting engine. */
    public void feedFromScript(CommandSpec spec, byte[][] argv, int db) {
        if (!shown(spec)) {
            return;
        }
        feedLine(null, null, line(db, null, redact(spec, argv)));
    }

    private void feedLine(Client from, Reply fromReply, byte[] line) {
        List<Client> gone = null;
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
                fromReply.raw(line);
                continue;
            }
            OutputLimits.Verdict v = server.outputLimits().charge(m, line.length, OutputLimits.Class.NORMAL);
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
            server.stats().netOutputBytes.add(line.length);
            append(m, e.getValue(), line);
        }
        if (gone != null) {
            gone.forEach(monitors::remove);
        }
    }

    private void append(Client m, Sink sink, byte[] line) {
        boolean schedule;
        synchronized (sink) {
            if (sink.pending == null) {
                sink.pending = ByteBufAllocator.DEFAULT.ioBuffer(Math.max(256, line.length));
            }
            sink.pending.writeBytes(line);
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
        long micros = currentMicros();
        StringBuilder b = new StringBuilder(64 + argv.length * 8);
        b.append('+').append(micros / 1_000_000).append('.');
        String frac = Long.toString(micros % 1_000_000);
        for (int i = frac.length(); i < 6; i++) {
            b.append('0');
        }
        b.append(frac).append(" [").append(db).append(' ').append(address == null ? "lua" : address).append("] ");
        for (int j = 0; j < argv.length; j++) {
            repr(b, argv[j]);
            if (j != argv.length - 1) {
                b.append(' ');
            }
        }
        b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static long currentMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** Redis's sdscatrepr: a double-quoted string with C escapes and \xHH for non-printables (one char per byte). */
    public static void repr(StringBuilder b, byte[] s) {
        b.append('"');
        for (byte x : s) {
            int c = x & 0xFF;
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        b.append((char) c);
                    } else {
                        b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    }
                }
            }
        }
        b.append('"');
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
