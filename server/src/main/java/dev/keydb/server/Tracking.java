package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Server-assisted client-side caching (Redis's tracking.c). In the default mode the table
 * remembers, per key, the ids of tracking clients that read it with a read-only command; a
 * change to the key sends each of them one invalidation and forgets the key. In BCAST mode
 * clients subscribe to key prefixes instead, and every changed key matching a prefix is
 * collected and broadcast once per batch of commands. Invalidations travel as RESP3 pushes
 * on the client's own connection, or as Pub/Sub messages on {@code __redis__:invalidate} to
 * a RESP2 client in Pub/Sub mode that the tracking client redirects to.
 *
 * <p>All methods run under the keyspace lock. Tracking is global across databases, as in
 * Redis. Memory is paid only while clients track: the key table holds each key's bytes once
 * with a sorted {@code long[]} of client ids, and is bounded by {@code tracking-table-max-keys}.
 */
public final class Tracking {
    /** CLIENT TRACKING options (Redis's CLIENT_TRACKING_* flags). */
    public static final int BCAST = 1, OPTIN = 1 << 1, OPTOUT = 1 << 2, NOLOOP = 1 << 3;

    private static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);

    /** One client's tracking state; the client holds null while tracking is off. */
    public static final class State {
        int options;
        long redirect;
        boolean caching;
        boolean brokenRedirect;
        /** BCAST prefixes in byte order (Redis keeps them in a radix tree). */
        final TreeSet<byte[]> prefixes = new TreeSet<>(ORDER);

        public boolean has(int option) { return (options & option) != 0; }
        public long redirect() { return redirect; }
        public boolean caching() { return caching; }
        public boolean brokenRedirect() { return brokenRedirect; }
        public List<byte[]> prefixes() { return new ArrayList<>(prefixes); }
    }


    /** A BCAST prefix: its subscribers and the keys changed since the last broadcast, each with its last writer. */
    private static final class Prefix {
        final Set<Client> clients = new LinkedHashSet<>();
        TreeMap<byte[], Client> keys = new TreeMap<>(ORDER);
    }

    private final Server server;
    /**
     * ByteKey -> ids of the clients that may cache it: {@code ids[0]} is the count, then the ids in
     * ascending order. Insertion order is the age used when the table is over its limit.
     */
    private final LinkedHashMap<ByteKey, long[]> table = new LinkedHashMap<>();
    private long totalItems;
    private final TreeMap<byte[], Prefix> prefixTable = new TreeMap<>(ORDER);
    private int trackingClients;
    private volatile boolean broadcastPending;
    private int limitTimeouts;

    /** The client whose command runs now (Redis's server.current_client), its reply and the nesting depth (EXEC). */
    private Client current;
    private Reply currentReply;
    private int depth;
    /** Invalidations for the current client, sent after its reply; null = everything (flush). */
    private final List<byte[]> pending = new ArrayList<>();

    Tracking(Server server) {
        this.server = server;
    }

    // ---- enabling and disabling ---------------------------------------------------------------

    /**
     * The first overlap between a new prefix and an existing one of the client, or among the
     * new ones (Redis's checkPrefixCollisionsOrReply), as an error text; null when none.
     */
    public String prefixCollision(Client c, List<byte[]> prefixes) {
        State s = c.tracking;
        for (int i = 0; i < prefixes.size(); i++) {
            byte[] p = prefixes.get(i);
            if (s != null) {
                for (byte[] existing : s.prefixes) {
                    if (overlap(existing, p)) {
                        return "ERR Prefix '" + text(p) + "' overlaps with an existing prefix '" + text(existing)
                                + "'. Prefixes for a single client must not overlap.";
                    }
                }
            }
            for (int j = i + 1; j < prefixes.size(); j++) {
                if (overlap(p, prefixes.get(j))) {
                    return "ERR Prefix '" + text(p) + "' overlaps with another provided prefix '" + text(prefixes.get(j))
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** CLIENT TRACKING ON after its checks passed (Redis's enableTracking). */
    public void enable(Client c, long redirect, int options, List<byte[]> prefixes) {
        State s = c.tracking;
        if (s == null) {
            s = new State();
            c.tracking = s;
            trackingClients++;
        }
        s.brokenRedirect = false;
        s.options = 0;
        s.redirect = redirect;
        if ((options & BCAST) != 0) {
            s.options |= BCAST;
            if (prefixes.isEmpty()) {
                subscribePrefix(c, s, new byte[0]);
            }
            for (byte[] p : prefixes) {
                subscribePrefix(c, s, p);
            }
        }
        s.options |= options & (OPTIN | OPTOUT | NOLOOP);
    }

    private void subscribePrefix(Client c, State s, byte[] prefix) {
        Prefix p = prefixTable.computeIfAbsent(prefix, k -> new Prefix());
        if (p.clients.add(c)) {
            s.prefixes.add(prefix);
        }
    }

    /** CLIENT TRACKING OFF, RESET and disconnection (Redis's disableTracking). */
    public void disable(Client c) {
        State s = c.tracking;
        if (s == null) {
            return;
        }
        if (s.has(BCAST)) {
            for (byte[] prefix : s.prefixes) {
                Prefix p = prefixTable.get(prefix);
                if (p != null) {
                    p.clients.remove(c);
                    if (p.clients.isEmpty()) {
                        prefixTable.remove(prefix);
                    }
                }
            }
        }
        // The client's ids stay in the key table and are dropped lazily, as in Redis.
        c.tracking = null;
        trackingClients--;
    }

    /** CLIENT CACHING YES|NO: the next command's keys are (not) tracked. */
    public void caching(Client c) {
        c.tracking.caching = true;
    }

    // ---- the command hooks (Dispatcher) -------------------------------------------------------

    /** Before a command runs: it becomes the current one, and the table is trimmed to its limit. */
    public void enter(CommandContext ctx) {
        if (depth++ == 0) {
            current = ctx.client();
            currentReply = ctx.reply();
            if (trackingClients > 0) {
                limitUsedSlots();
            }
        }
    }

    /**
     * After a read-only command of a tracking client in the default mode: remembers the keys
     * it read (Redis's trackingRememberKeys), unless OPTIN without CACHING YES or OPTOUT with
     * CACHING NO.
     */
    public void remember(Client c, CommandSpec spec, byte[][] argv) {
        State s = c.tracking;
        if (s == null || s.has(BCAST) || !spec.has(CommandFlag.READONLY) || spec.has(CommandFlag.PUBSUB)) {
            return;
        }
        if ((s.has(OPTIN) && !s.caching) || (s.has(OPTOUT) && s.caching)) {
            return;
        }
        for (int pos : spec.keyPositions(argv)) {
            add(argv[pos], c.id());
        }
    }

    private void add(byte[] key, long id) {
        ByteKey k = new ByteKey(key);
        long[] ids = table.get(k);
        if (ids == null) {
            table.put(k, new long[] {1, id});
            totalItems++;
            return;
        }
        int n = (int) ids[0];
        int at = Arrays.binarySearch(ids, 1, n + 1, id);
        if (at >= 0) {
            return;
        }
        at = -at - 1;
        if (n + 1 == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
            table.put(k, ids);
        }
        System.arraycopy(ids, at, ids, at + 1, n + 1 - at);
        ids[at] = id;
        ids[0] = n + 1;
        totalItems++;
    }

    /**
     * After a command at the top level: the current client's own invalidations follow its
     * reply, and CACHING YES|NO lapses unless the command was CLIENT or one queued in MULTI.
     */
    public void exit(CommandContext ctx, byte[][] argv) {
        if (--depth > 0) {
            return;
        }
        Client c = current;
        if (!pending.isEmpty()) {
            List<byte[]> keys = new ArrayList<>(pending);
            pending.clear();
            if (c != null && c.tracking != null && !c.killed()) {
                for (byte[] key : keys) {
                    send(c, key == null ? Reply::nullBulk : oneKey(key));
                }
            }
        }
        if (c != null && c.tracking != null && !c.inMulti() && !isClientCommand(argv)) {
            c.tracking.caching = false;
        }
        current = null;
        currentReply = null;
    }

    private static boolean isClientCommand(byte[][] argv) {
        return argv.length > 0 && new String(argv[0], StandardCharsets.US_ASCII).equalsIgnoreCase("client");
    }

    // ---- invalidation -------------------------------------------------------------------------

    /** A command changed {@code key} (Redis's trackingInvalidateKey from signalModifiedKey). */
    public void keyChanged(byte[] key) {
        invalidate(key, current, true);
    }

    /** {@code key} expired: no client made the change, so NOLOOP does not apply. */
    public void keyExpired(byte[] key) {
        invalidate(key, null, true);
    }

    private void invalidate(byte[] key, Client modifier, boolean bcast) {
        if (table.isEmpty() && prefixTable.isEmpty()) {
            return;
        }
        if (bcast && !prefixTable.isEmpty()) {
            rememberToBroadcast(key, modifier);
        }
        long[] ids = table.remove(new ByteKey(key));
        if (ids == null) {
            return;
        }
        int n = (int) ids[0];
        totalItems -= n;
        for (int i = 1; i <= n; i++) {
            Client target = server.clients().byId(ids[i]);
            // Skipped: gone, no longer tracking, or switched to BCAST since it read the key.
            if (target == null || target.tracking == null || target.tracking.has(BCAST)) {
                continue;
            }
            if (target.tracking.has(NOLOOP) && target == modifier) {
                continue;
            }
            if (target == current) {
                pending.add(key); // after the command's reply, as Redis's tracking_pending_keys
            } else {
                send(target, oneKey(key));
            }
        }
    }

    /** FLUSHDB/FLUSHALL: every tracking client is told that all keys are invalid (a null), and the table is dropped. */
    public void flushed() {
        if (trackingClients > 0) {
            for (Client c : server.clients().all()) {
                if (c.tracking == null) {
                    continue;
                }
                if (c == current) {
                    pending.add(null);
                } else {
                    send(c, Reply::nullBulk);
                }
            }
        }
        table.clear();
        totalItems = 0;
    }

    private static Consumer<Reply> oneKey(byte[] key) {
        return r -> {
            r.array(1);
            r.bulk(key);
        };
    }

    /**
     * Sends one invalidation for tracking client {@code c} (Redis's sendTrackingMessage): to
     * the client it redirects to if any, as a push in RESP3 or as a {@code __redis__:invalidate}
     * message to a RESP2 redirect target in Pub/Sub mode; a RESP2 client without redirection
     * gets nothing. A redirect to a client that is gone marks the redirection broken and, in
     * RESP3, tells the tracking client with a {@code tracking-redir-broken} push.
     */
    private void send(Client c, Consumer<Reply> keys) {
        State s = c.tracking;
        Client to = c;
        boolean redirected = false;
        if (s != null && s.redirect != 0) {
            Client r = server.clients().byId(s.redirect);
            if (r == null) {
                s.brokenRedirect = true;
                if (c.protocol() > 2) {
                    long id = s.redirect;
                    deliver(c, m -> {
                        m.push(2);
                        m.bulk("tracking-redir-broken");
                        m.integer(id);
                    });
                }
                return;
            }
            to = r;
            redirected = true;
        }
        if (to.protocol() > 2) {
            deliver(to, m -> {
                m.push(2);
                m.bulk("invalidate");
                keys.accept(m);
            });
        } else if (redirected && to.inSubscribedMode()) {
            deliver(to, m -> {
                m.array(3);
                m.bulk("message");
                m.bulk(CHANNEL);
                keys.accept(m);
            });
        }
    }

    /** Into the current reply for the client whose command runs now (keeps reply order), else onto its connection. */
    private void deliver(Client to, Consumer<Reply> message) {
        server.pubsub().deliver(to, current, currentReply, message);
    }

    // ---- BCAST --------------------------------------------------------------------------------

    private void rememberToBroadcast(byte[] key, Client modifier) {
        for (Map.Entry<byte[], Prefix> e : prefixTable.entrySet()) {
            byte[] prefix = e.getKey();
            if (prefix.length > key.length || !Arrays.equals(prefix, 0, prefix.length, key, 0, prefix.length)) {
                continue;
            }
            e.getValue().keys.put(key, modifier);
            broadcastPending = true;
        }
    }

    /** Whether changed keys wait for {@link #broadcast}. */
    public boolean broadcastPending() {
        return broadcastPending;
    }

    /**
     * Sends each prefix's changed keys to its subscribers, one array per prefix (NOLOOP
     * clients without the keys they changed themselves), and starts collecting anew (Redis's
     * trackingBroadcastInvalidationMessages, run before the event loop sleeps). {@code client}
     * and {@code reply} are the connection whose batch just ran, so that its own
     * invalidations follow its replies; null from the cron.
     */
    public void broadcast(Client client, Reply reply) {
        if (!broadcastPending) {
            return;
        }
        broadcastPending = false;
        current = client;
        currentReply = reply;
        try {
            for (Prefix p : prefixTable.values()) {
                if (p.keys.isEmpty()) {
                    continue;
                }
                TreeMap<byte[], Client> keys = p.keys;
                p.keys = new TreeMap<>(ORDER);
                for (Client c : new ArrayList<>(p.clients)) {
                    List<byte[]> list = new ArrayList<>(keys.size());
                    boolean noloop = c.tracking != null && c.tracking.has(NOLOOP);
                    for (Map.Entry<byte[], Client> e : keys.entrySet()) {
                        if (!noloop || e.getValue() != c) {
                            list.add(e.getKey());
                        }
                    }
                    if (list.isEmpty() || c.killed()) {
                        continue;
                    }
                    send(c, r -> {
                        r.array(list.size());
                        for (byte[] k : list) {
                            r.bulk(k);
                        }
                    });
                }
            }
        } finally {
            current = null;
            currentReply = null;
        }
    }

    // ---- the size limit -----------------------------------------------------------------------

    /**
     * Keeps the key table within {@code tracking-table-max-keys} (0 = no limit) by forgetting
     * the oldest keys, each with an invalidation to its readers as if it changed (Redis's
     * trackingLimitUsedSlots, which picks random keys instead): at most 100 keys per command,
     * more on each call that still finds the table over its limit.
     */
    private void limitUsedSlots() {
        long max = server.config().trackingTableMaxKeys;
        if (max == 0 || table.size() <= max) {
            limitTimeouts = 0;
            return;
        }
        int effort = 100 * (limitTimeouts + 1);
        while (effort-- > 0 && table.size() > max) {
            Iterator<ByteKey> it = table.keySet().iterator();
            invalidate(it.next().bytes(), null, false);
        }
        if (table.size() <= max) {
            limitTimeouts = 0;
        } else {
            limitTimeouts++;
        }
    }

    // ---- INFO ---------------------------------------------------------------------------------

    public int clientCount() { return trackingClients; }
    public long totalKeys() { return table.size(); }
    public long totalItems() { return totalItems; }
    public long totalPrefixes() { return prefixTable.size(); }
}
