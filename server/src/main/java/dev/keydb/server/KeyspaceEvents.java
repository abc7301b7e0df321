package dev.keydb.server;

import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications (Redis's notify.c): the {@code notify-keyspace-events} classes and
 * the publication of {@code __keyspace@<db>__:<key>} and {@code __keyevent@<db>__:<event>}
 * messages through Pub/Sub. Runs under the keyspace lock.
 */
public final class KeyspaceEvents {
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int LOADED = 1 << 12;
    public static final int MODULE = 1 << 13;
    public static final int NEW = 1 << 14;
    /** 'A': every class except key-miss and new, as Redis 7.0's NOTIFY_ALL. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private final Server server;

    KeyspaceEvents(Server server) {
        this.server = server;
    }

    /** Parses the flag string; -1 when it has an unknown character (Redis's keyspaceEventsStringToFlags). */
    public static int parse(String s) {
        int flags = 0;
        for (char c : s.toCharArray()) {
            switch (c) {
                case 'A' -> flags |= ALL;
                case 'g' -> flags |= GENERIC;
                case '$' -> flags |= STRING;
                case 'l' -> flags |= LIST;
                case 's' -> flags |= SET;
                case 'h' -> flags |= HASH;
                case 'z' -> flags |= ZSET;
                case 'x' -> flags |= EXPIRED;
                case 'e' -> flags |= EVICTED;
                case 'K' -> flags |= KEYSPACE;
                case 'E' -> flags |= KEYEVENT;
                case 't' -> flags |= STREAM;
                case 'm' -> flags |= KEY_MISS;
                case 'd' -> flags |= MODULE;
                case 'n' -> flags |= NEW;
                default -> {
                    return -1;
                }
            }
        }
        return flags;
    }

    /** The canonical string CONFIG GET answers (Redis's keyspaceEventsFlagsToString). */
    public static String format(int flags) {
        StringBuilder b = new StringBuilder();
        if ((flags & ALL) == ALL) {
            b.append('A');
        } else {
            if ((flags & GENERIC) != 0) b.append('g');
            if ((flags & STRING) != 0) b.append('$');
            if ((flags & LIST) != 0) b.append('l');
            if ((flags & SET) != 0) b.append('s');
            if ((flags & HASH) != 0) b.append('h');
            if ((flags & ZSET) != 0) b.append('z');
            if ((flags & EXPIRED) != 0) b.append('x');
            if ((flags & EVICTED) != 0) b.append('e');
            if ((flags & STREAM) != 0) b.append('t');
            if ((flags & MODULE) != 0) b.append('d');
            if ((flags & NEW) != 0) b.append('n'); // Redis 7.0 writes 'n' only without 'A', before K/E/m
        }
        if ((flags & KEYSPACE) != 0) b.append('K');
        if ((flags & KEYEVENT) != 0) b.append('E');
        if ((flags & KEY_MISS) != 0) b.append('m');
        return b.toString();
    }

    /** notifyKeyspaceEvent: publishes if the class and at least one of K/E are enabled. */
    public void notify(int type, String event, byte[] key, int db) {
        int flags = server.config().notifyKeyspaceEvents;
        if ((flags & type) == 0) {
            return;
        }
        byte[] ev = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & KEYSPACE) != 0) {
            server.pubsub().publish(null, null, concat("__keyspace@" + db + "__:", key), ev, false);
        }
        if ((flags & KEYEVENT) != 0) {
            server.pubsub().publish(null, null, concat("__keyevent@" + db + "__:", ev), key, false);
        }
    }

    private static byte[] concat(String prefix, byte[] tail) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[p.length + tail.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(tail, 0, out, p.length, tail.length);
        return out;
    }
}
