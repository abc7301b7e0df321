package dev.keydb.server;

import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The slow log (Redis's slowlog.c): commands that ran for at least
 * {@code slowlog-log-slower-than} microseconds (-1 disables, 0 logs all), newest first, at
 * most {@code slowlog-max-len} entries. Arguments are kept as Redis trims them: at most 32
 * (the last saying how many more there were) and 128 bytes each. Runs under the keyspace lock.
 */
public final class SlowLog {
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;

    /** One entry as SLOWLOG GET shows it. */
    public record Entry(long id, long timeSec, long durationMicros, byte[][] argv, String peer, String clientName) {}

    private final Server server;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    SlowLog(Server server) {
        this.server = server;
    }

    /** slowlogPushCurrentCommand: logs the command if slow enough and not flagged skip_slowlog. */
    public void push(Client client, CommandSpec spec, byte[][] argv, long durationMicros) {
        long threshold = server.config().slowlogLogSlowerThan;
        if (threshold < 0 || spec.has(CommandFlag.SKIP_SLOWLOG)) {
            return;
        }
        if (durationMicros >= threshold) {
            byte[][] shown = trim(Monitors.redact(spec, argv));
            entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, durationMicros, shown,
                    client.address(), client.name()));
        }
        long max = server.config().slowlogMaxLen;
        while (entries.size() > max) {
            entries.removeLast();
        }
    }

    static byte[][] trim(byte[][] argv) {
        int argc = Math.min(argv.length, MAX_ARGC);
        byte[][] out = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            if (argc != argv.length && j == argc - 1) {
                out[j] = ("... (" + (argv.length - argc + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (argv[j].length > MAX_STRING) {
                byte[] more = ("... (" + (argv[j].length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] s = Arrays.copyOf(argv[j], MAX_STRING + more.length);
                System.arraycopy(more, 0, s, MAX_STRING, more.length);
                out[j] = s;
            } else {
                out[j] = argv[j];
            }
        }
        return out;
    }

    public int size() {
        return entries.size();
    }

    public void reset() {
        entries.clear();
    }

    /** The newest {@code count} entries, newest first. */
    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (count-- > 0 && it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }
}
