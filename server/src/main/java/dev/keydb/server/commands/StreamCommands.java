package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.BLOCKING;
import static dev.keydb.server.command.CommandFlag.DENYOOM;
import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.KeyspaceEvents;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.types.StreamPel;
import dev.keydb.storage.types.StreamValue;
import dev.keydb.storage.types.StreamValue.Consumer;
import dev.keydb.storage.types.StreamValue.Group;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Locale;

/**
 * The stream commands (Redis's t_stream.c): XADD, XRANGE, XREAD, consumer groups and the rest,
 * with Redis 7.0's replies, errors and keyspace events. Values are {@link StreamValue}s; a
 * stream is never deleted when it becomes empty, as in Redis.
 *
 * <p>XREAD/XREADGROUP with BLOCK block through {@link CommandContext#block}: the command is
 * re-run when a key it waits on is signalled (XADD, XGROUP DESTROY...). Before blocking, an
 * XREAD '$' argument is replaced in the argument vector by the stream's current last ID, so
 * the retry waits for entries after the ID seen by the first run.
 */
public final class StreamCommands implements CommandFamily {
    private static final long MAX = StreamValue.MAX;
    private static final CommandError INVALID_ID = new CommandError("ERR Invalid stream ID specified as stream command argument");
    private static final CommandError NO_SUCH_KEY = new CommandError("ERR no such key");
    private static final CommandError XADD_SMALLER = new CommandError(
            "ERR The ID specified in XADD is equal or smaller than the target stream top item");
    private static final CommandError INVALID_START = new CommandError("ERR invalid start ID for the interval");
    private static final CommandError INVALID_END = new CommandError("ERR invalid end ID for the interval");
    private static final CommandError MAXLEN_MINID = new CommandError(
            "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");

    @Override
    public void register(CommandTable t) {
        String g = "stream";
        t.add(command("xadd", -5).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
                        "Appends a new message to a stream. Creates the key if it doesn't exist.").run(this::xadd));
        t.add(command("xlen", 2).flags(READONLY, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(1)", "Return the number of messages in a stream.").run(this::xlen));
        t.add(command("xrange", -4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
                        "Returns the messages from a stream within a range of IDs.").run(c -> xrange(c, false)));
        t.add(command("xrevrange", -4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
                        "Returns the messages from a stream within a range of IDs in reverse order.").run(c -> xrange(c, true)));
        t.add(command("xdel", -3).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(1) for each single item to delete in the stream, regardless of the stream size.",
                        "Returns the number of messages after removing them from a stream.").run(this::xdel));
        t.add(command("xtrim", -4).flags(WRITE).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
                        "Deletes messages from the beginning of a stream.").run(this::xtrim));
        t.add(command("xread", -4).flags(READONLY, BLOCKING).movableKeys(a -> xreadKeys(a, false)).acl(g).group(g)
                .doc("5.0.0", "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.",
                        "Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.")
                .run(c -> xread(c, false)));
        t.add(command("xreadgroup", -7).flags(WRITE, BLOCKING).movableKeys(a -> xreadKeys(a, true)).acl(g).group(g)
                .doc("5.0.0", "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
                        "Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.")
                .run(c -> xread(c, true)));
        t.add(command("xack", -4).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(1) for each message ID processed.",
                        "Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.").run(this::xack));
        t.add(command("xpending", -3).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
                        "Returns the information and entries from a stream consumer group's pending entries list.").run(this::xpending));
        t.add(command("xclaim", -6).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(log N) with N being the number of messages in the PEL of the consumer group.",
                        "Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.").run(this::xclaim));
        t.add(command("xautoclaim", -6).flags(WRITE, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("6.2.0", "O(1) if COUNT is small.",
                        "Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.").run(this::xautoclaim));
        t.add(command("xsetid", -3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).acl(g).group(g)
                .doc("5.0.0", "O(1)", "An internal command for replicating stream values.").run(this::xsetid));
        t.add(command("xgroup", -2).group(g)
                .doc("5.0.0", "Depends on subcommand.", "A container for consumer groups commands.")
                .sub(command("create", -5).flags(WRITE, DENYOOM).keys(2, 2, 1).acl(g)
                        .doc("5.0.0", "O(1)", "Creates a consumer group.").run(this::xgroup))
                .sub(command("createconsumer", 5).flags(WRITE, DENYOOM).keys(2, 2, 1).acl(g)
                        .doc("6.2.0", "O(1)", "Creates a consumer in a consumer group.").run(this::xgroup))
                .sub(command("delconsumer", 5).flags(WRITE).keys(2, 2, 1).acl(g)
                        .doc("5.0.0", "O(1)", "Deletes a consumer from a consumer group.").run(this::xgroup))
                .sub(command("destroy", 4).flags(WRITE).keys(2, 2, 1).acl(g)
                        .doc("5.0.0", "O(N) where N is the number of entries in the group's pending entries list (PEL).",
                                "Destroys a consumer group.").run(this::xgroup))
                .sub(command("help", 2).flags(LOADING, STALE).acl(g)
                        .doc("5.0.0", "O(1)", "Returns helpful text about the different subcommands.").run(this::xgroup))
                .sub(command("setid", -5).flags(WRITE).keys(2, 2, 1).acl(g)
                        .doc("5.0.0", "O(1)", "Sets the last-delivered ID of a consumer group.").run(this::xgroup)));
        t.add(command("xinfo", -2).group(g)
                .doc("5.0.0", "Depends on subcommand.", "A container for stream introspection commands.")
                .sub(command("consumers", 4).flags(READONLY).keys(2, 2, 1).acl(g)
                        .doc("5.0.0", "O(1)", "Returns a list of the consumers in a consumer group.").run(this::xinfo))
                .sub(command("groups", 3).flags(READONLY).keys(2, 2, 1).acl(g)
                        .doc("5.0.0", "O(1)", "Returns a list of the consumer groups of a stream.").run(this::xinfo))
                .sub(command("help", 2).flags(LOADING, STALE).acl(g)
                        .doc("5.0.0", "O(1)", "Returns helpful text about the different subcommands.").run(this::xinfo))
                .sub(command("stream", -3).flags(READONLY).keys(2, 2, 1).acl(g)
                        .doc("5.0.0", "O(1)", "Returns information about a stream.").run(this::xinfo)));
    }

    // ---- helpers --------------------------------------------------------------------------

    private static StreamValue asStream(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof StreamValue s) {
            return s;
        }
        throw CommandError.WRONGTYPE;
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Redis's string2ull: strict signed parse (non-negative), else strtoull's laxer grammar. */
    private static boolean parseU64(String s, long[] out, int at) {
        Long v = Numbers.parseLongOrNull(s.getBytes(StandardCharsets.UTF_8));
        if (v != null) {
            if (v < 0) {
                return false;
            }
            out[at] = v;
            return true;
        }
        int i = 0;
        int n = s.length();
        while (i < n && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        if (i >= n) {
            return false;
        }
        long acc = 0;
        for (; i < n; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            // overflow of unsigned 64 bits: ERANGE
            if (Long.compareUnsigned(acc, Long.divideUnsigned(MAX - d, 10)) > 0) {
                return false;
            }
            acc = acc * 10 + d;
        }
        out[at] = neg ? -acc : acc;
        return true;
    }

    /**
     * streamGenericParseIDOrReply: '-' and '+' (unless strict), ms, ms-seq, and ms-* when
     * {@code seqGiven} is not null (XADD). Writes ms, seq into out[0..1].
     */
    private static void parseId(byte[] arg, long missingSeq, boolean strict, boolean[] seqGiven, long[] out) {
        if (arg.length > 127) {
            throw INVALID_ID;
        }
        if (strict && arg.length == 1 && (arg[0] == '-' || arg[0] == '+')) {
            throw INVALID_ID;
        }
        if (seqGiven != null) {
            seqGiven[0] = true;
        }
        if (arg.length == 1 && arg[0] == '-') {
            out[0] = 0;
            out[1] = 0;
            return;
        }
        if (arg.length == 1 && arg[0] == '+') {
            out[0] = MAX;
            out[1] = MAX;
            return;
        }
        String s = str(arg);
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            s = s.substring(0, nul);
        }
        int dash = s.indexOf('-');
        String msPart = dash >= 0 ? s.substring(0, dash) : s;
        if (!parseU64(msPart, out, 0)) {
            throw INVALID_ID;
        }
        if (dash >= 0) {
            String seqPart = s.substring(dash + 1);
            if (seqGiven != null && seqPart.equals("*")) {
                out[1] = 0;
                seqGiven[0] = false;
            } else if (!parseU64(seqPart, out, 1)) {
                throw INVALID_ID;
            }
        } else {
            out[1] = missingSeq;
        }
    }

    private static long[] strictId(byte[] arg) {
        long[] id = new long[2];
        parseId(arg, 0, true, null, id);
        return id;
    }

    /** streamParseIntervalIDOrReply: a '(' prefix makes the ID exclusive (returned in out[2] as 1). */
    private static long[] intervalId(byte[] arg, long missingSeq) {
        long[] id = new long[3];
        if (arg.length > 1 && arg[0] == '(') {
            byte[] rest = Arrays.copyOfRange(arg, 1, arg.length);
            parseId(rest, missingSeq, true, null, id);
            id[2] = 1;
        } else {
            parseId(arg, missingSeq, false, null, id);
        }
        return id;
    }

    /** streamIncrID; false on overflow. */
    private static boolean incr(long[] id) {
        if (id[1] == MAX) {
            if (id[0] == MAX) {
                id[0] = 0;
                id[1] = 0;
                return false;
            }
            id[0]++;
            id[1] = 0;
        } else {
            id[1]++;
        }
        return true;
    }

    /** streamDecrID; false on underflow. */
    private static boolean decr(long[] id) {
        if (id[1] == 0) {
            if (id[0] == 0) {
                id[0] = MAX;
                id[1] = MAX;
                return false;
            }
            id[0]--;
            id[1] = MAX;
        } else {
            id[1]--;
        }
        return true;
    }

    private static void replyId(Reply r, long ms, long seq) {
        r.bulk(StreamValue.idString(ms, seq));
    }

    /** One entry: [id, [field, value, ...]]. */
    private static void replyEntry(Reply r, long ms, long seq, byte[] data, int off) {
        r.array(2);
        replyId(r, ms, seq);
        r.array(2L * StreamValue.pairCount(data, off));
        StreamValue.forEachItem(data, off, r::bulk);
    }

    /** streamReplyWithRange without a group: the array of entries in [start, end]. */
    private static long replyRange(Reply r, StreamValue s, long sm, long ss, long em, long es, long count, boolean rev) {
        long n = s.range(sm, ss, em, es, count, rev, (m, q, d, o) -> true);
        r.array(n);
        s.range(sm, ss, em, es, count, rev, (m, q, d, o) -> {
            replyEntry(r, m, q, d, o);
            return true;
        });
        return n;
    }

    /** The single entry with this ID, or false (nothing written) when absent. */
    private static boolean replySingle(Reply r, StreamValue s, long ms, long seq) {
        if (!s.exists(ms, seq)) {
            return false;
        }
        s.range(ms, seq, ms, seq, 1, false, (m, q, d, o) -> {
            replyEntry(r, m, q, d, o);
            return false;
        });
        return true;
    }

    private static CommandError noGroup(byte[] key, byte[] group) {
        return new CommandError("NOGROUP No such key '" + str(key) + "' or consumer group '" + str(group) + "'");
    }

    private static long longArg(CommandContext c, int i, String error) {
        Long v = Numbers.parseLongOrNull(c.arg(i));
        if (v == null) {
            throw error == null ? CommandError.NOT_INTEGER : new CommandError("ERR " + error);
        }
        return v;
    }

    private long nodeMaxBytes(CommandContext c) {
        return c.server().config().streamNodeMaxBytes;
    }

    private long nodeMaxEntries(CommandContext c) {
        return c.server().config().streamNodeMaxEntries;
    }

    // ---- XADD / XTRIM ---------------------------------------------------------------------

    /** Parsed XADD/XTRIM trimming options (streamAddTrimArgs). */
    private static final class TrimArgs {
        int strategy; // 0 none, 1 maxlen, 2 minid
        boolean approx;
        long maxlen;
        long[] minid = new long[2];
        long limit;
        boolean noMkstream;
        boolean idGiven;
        boolean[] seqGiven = {true};
        long[] id = new long[2];
    }

    /** streamParseAddOrTrimArgsOrReply: returns the index of the ID (XADD) or argc. */
    private int parseAddOrTrim(CommandContext c, TrimArgs a, boolean xadd) {
        int i = 2;
        boolean limitGiven = false;
        int argc = c.argc();
        for (; i < argc; i++) {
            int moreargs = argc - 1 - i;
            byte[] opt = c.arg(i);
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if ((c.argIs(i, "maxlen") || c.argIs(i, "minid")) && moreargs > 0) {
                if (a.strategy != 0) {
                    throw MAXLEN_MINID;
                }
                boolean maxlen = c.argIs(i, "maxlen");
                a.approx = false;
                byte[] next = c.arg(i + 1);
                // An optional '~' (approximate) or '=' (exact) precedes the threshold.
                if (moreargs >= 2 && next.length == 1 && (next[0] == '~' || next[0] == '=')) {
                    a.approx = next[0] == '~';
                    i++;
                }
                if (maxlen) {
                    a.maxlen = longArg(c, i + 1, null);
                    if (a.maxlen < 0) {
                        throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                    }
                    a.strategy = 1;
                } else {
                    a.minid = strictId(c.arg(i + 1));
                    a.strategy = 2;
                }
                i++;
            } else if (c.argIs(i, "limit") && moreargs > 0) {
                a.limit = longArg(c, i + 1, null);
                if (a.limit < 0) {
                    throw new CommandError("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && c.argIs(i, "nomkstream")) {
                a.noMkstream = true;
            } else if (xadd) {
                parseId(opt, 0, true, a.seqGiven, a.id);
                a.idGiven = true;
                break;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (a.limit != 0 && a.strategy == 0) {
            throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && a.strategy == 0) {
            throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (limitGiven) {
            if (!a.approx) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (a.approx) {
            a.limit = 100 * nodeMaxEntries(c);
            if (a.limit <= 0 || a.limit > 1000000) {
                a.limit = 10000;
            }
        } else {
            a.limit = 0;
        }
        return i;
    }

    private static long trim(StreamValue s, TrimArgs a) {
        if (a.strategy == 0) {
            return 0;
        }
        return s.trim(a.strategy == 1, a.maxlen, a.minid[0], a.minid[1], a.approx, a.limit);
    }

    private void xadd(CommandContext c) {
        TrimArgs a = new TrimArgs();
        int idpos = parseAddOrTrim(c, a, true);
        int fieldPos = idpos + 1;
        int nf = c.argc() - fieldPos;
        if (nf < 2 || nf % 2 == 1) {
            throw c.wrongArity();
        }
        if (a.idGiven && a.seqGiven[0] && a.id[0] == 0 && a.id[1] == 0) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        byte[] key = c.arg(1);
        StreamValue s = asStream(c.writeKey(key));
        boolean created = false;
        if (s == null) {
            if (a.noMkstream) {
                c.reply().nullBulk();
                return;
            }
            s = new StreamValue();
            created = true;
        }
        if (s.lastMs() == MAX && s.lastSeq() == MAX) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        long ms, seq;
        if (a.idGiven) {
            if (a.seqGiven[0]) {
                ms = a.id[0];
                seq = a.id[1];
            } else if (s.lastMs() == a.id[0]) {
                if (s.lastSeq() == MAX) {
                    // Redis 7.0 reports this overflow with its generic append failure text
                    throw new CommandError("ERR Elements are too large to be stored");
                }
                ms = s.lastMs();
                seq = s.lastSeq() + 1;
            } else {
                ms = a.id[0];
                seq = a.id[1];
            }
        } else {
            long now = c.now();
            if (Long.compareUnsigned(now, s.lastMs()) > 0) {
                ms = now;
                seq = 0;
            } else {
                ms = s.lastMs();
                seq = s.lastSeq() + 1;
            }
        }
        if (StreamValue.compare(ms, seq, s.lastMs(), s.lastSeq()) <= 0) {
            throw XADD_SMALLER;
        }
        if (created) {
            c.db().set(key, s, c.now());
        }
        s.append(ms, seq, c.argv(), fieldPos, c.argc(), nodeMaxBytes(c), nodeMaxEntries(c));
        replyId(c.reply(), ms, seq);
        c.changed(key, KeyspaceEvents.STREAM, "xadd");
        if (a.strategy != 0 && trim(s, a) > 0) {
            c.notifyEvent(key, KeyspaceEvents.STREAM, "xtrim");
        }
        if (!a.idGiven || !a.seqGiven[0] || a.approx) {
            // Propagated with the ID it got and an exact trim (xaddCommand's rewrites).
            byte[][] argv = propagatedTrim(c, a, s, idBytes(ms, seq), fieldPos);
            c.propagateAs(argv);
        }
        c.signalKeyAsReady(key);
    }

    /**
     * XADD/XTRIM as propagated: an auto-generated ID replaced by the one used, and an approximate
     * trim (~, LIMIT) replaced by the exact threshold it reached (streamRewriteApproxSpecifier,
     * streamRewriteTrimArgument): MAXLEN = the length now, MINID = the first ID now.
     */
    private static byte[][] propagatedTrim(CommandContext c, TrimArgs a, StreamValue s, byte[] id, int fieldPos) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        out.add(c.arg(0));
        out.add(c.arg(1));
        if (a.strategy != 0) {
            out.add(CommandContext.bytes(a.strategy == 1 ? "MAXLEN" : "MINID"));
            if (a.approx) {
                out.add(CommandContext.bytes("="));
                if (a.strategy == 1) {
                    out.add(CommandContext.bytes(s.length()));
                } else {
                    long[] first = new long[2];
                    if (s.length() > 0) {
                        s.edgeId(true, first);
                    } else {
                        first[0] = s.lastMs();
                        first[1] = s.lastSeq();
                    }
                    out.add(idBytes(first[0], first[1]));
                }
            } else {
                out.add(a.strategy == 1 ? CommandContext.bytes(a.maxlen) : idBytes(a.minid[0], a.minid[1]));
            }
        }
        if (id != null) {
            out.add(id);
            for (int j = fieldPos; j < c.argc(); j++) {
                out.add(c.arg(j));
            }
        }
        return out.toArray(new byte[0][]);
    }

    private void xtrim(CommandContext c) {
        TrimArgs a = new TrimArgs();
        parseAddOrTrim(c, a, false);
        byte[] key = c.arg(1);
        StreamValue s = asStream(c.writeKey(key));
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = trim(s, a);
        if (deleted > 0) {
            c.changed(key, KeyspaceEvents.STREAM, "xtrim");
            if (a.approx) {
                c.propagateAs(propagatedTrim(c, a, s, null, 0));
            }
        }
        c.reply().integer(deleted);
    }

    private void xlen(CommandContext c) {
        StreamValue s = asStream(c.readKey(c.arg(1)));
        c.reply().integer(s == null ? 0 : s.length());
    }

    private void xrange(CommandContext c, boolean rev) {
        byte[] startArg = c.arg(rev ? 3 : 2);
        byte[] endArg = c.arg(rev ? 2 : 3);
        long[] start = intervalId(startArg, 0);
        if (start[2] == 1 && !incr(start)) {
            throw INVALID_START;
        }
        long[] end = intervalId(endArg, MAX);
        if (end[2] == 1 && !decr(end)) {
            throw INVALID_END;
        }
        long count = -1;
        for (int j = 4; j < c.argc(); j++) {
            int additional = c.argc() - j - 1;
            if (c.argIs(j, "count") && additional >= 1) {
                count = c.longArg(j + 1);
                if (count < 0) {
                    count = 0;
                }
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        StreamValue s = asStream(c.readKey(c.arg(1)));
        if (s == null) {
            c.reply().array(0);
            return;
        }
        if (count == 0) {
            c.reply().nullArray();
            return;
        }
        replyRange(c.reply(), s, start[0], start[1], end[0], end[1], count == -1 ? 0 : count, rev);
    }

    /** The stream IDs given from argument {@code first} to the end, each validated strictly. */
    private static long[][] idsFrom(CommandContext c, int first) {
        long[][] ids = new long[c.argc() - first][];
        for (int j = first; j < c.argc(); j++) {
            ids[j - first] = strictId(c.arg(j));
        }
        return ids;
    }

    private void xdel(CommandContext c) {
        byte[] key = c.arg(1);
        StreamValue s = asStream(c.writeKey(key));
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long[][] ids = idsFrom(c, 2);
        long deleted = 0;
        boolean firstEntry = false;
        for (long[] id : ids) {
            if (s.delete(id[0], id[1])) {
                if (id[0] == s.firstMs() && id[1] == s.firstSeq()) {
                    firstEntry = true;
                }
                if (StreamValue.compare(id[0], id[1], s.maxDeletedMs(), s.maxDeletedSeq()) > 0) {
                    s.maxDeletedId(id[0], id[1]);
                }
                deleted++;
            }
        }
        if (deleted > 0) {
            if (s.length() == 0 || firstEntry) {
                s.refreshFirstId();
            }
            c.changed(key, KeyspaceEvents.STREAM, "xdel");
        }
        c.reply().integer(deleted);
    }

    private void xsetid(CommandContext c) {
        long[] id = strictId(c.arg(2));
        long[] maxXdel = {0, 0};
        long entriesAdded = -1;
        int i = 3;
        while (i < c.argc()) {
            int moreargs = c.argc() - 1 - i;
            if (c.argIs(i, "entriesadded") && moreargs > 0) {
                entriesAdded = c.longArg(i + 1);
                if (entriesAdded < 0) {
                    throw new CommandError("ERR entries_added must be positive");
                }
                i += 2;
            } else if (c.argIs(i, "maxdeletedid") && moreargs > 0) {
                maxXdel = strictId(c.arg(i + 1));
                if (StreamValue.compare(id[0], id[1], maxXdel[0], maxXdel[1]) < 0) {
                    throw new CommandError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i += 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = c.arg(1);
        StreamValue s = asStream(c.writeKey(key));
        if (s == null) {
            throw NO_SUCH_KEY;
        }
        if (s.length() > 0) {
            long[] max = new long[2];
            s.edgeId(false, max);
            if (StreamValue.compare(id[0], id[1], max[0], max[1]) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandError("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.lastId(id[0], id[1]);
        c.server().addDirty(1);
        if (entriesAdded != -1) {
            s.entriesAdded(entriesAdded);
        }
        if (maxXdel[0] != 0 || maxXdel[1] != 0) {
            s.maxDeletedId(maxXdel[0], maxXdel[1]);
        }
        c.reply().ok();
        c.notifyEvent(key, KeyspaceEvents.STREAM, "xsetid");
    }

    // ---- XREAD / XREADGROUP ---------------------------------------------------------------

    /** Key positions of XREAD/XREADGROUP (xreadGetKeys). */
    static int[] xreadKeys(byte[][] argv, boolean group) {
        int streamsPos = -1;
        for (int i = 1; i < argv.length; i++) {
            String a = str(argv[i]).toLowerCase(Locale.ROOT);
            if (a.equals("block") || a.equals("count")) {
                i++;
            } else if (a.equals("group")) {
                i += 2;
            } else if (a.equals("noack")) {
                // no argument
            } else if (a.equals("streams")) {
                streamsPos = i;
                break;
            } else {
                break;
            }
        }
        if (streamsPos < 0) {
            return new int[0];
        }
        int rest = argv.length - streamsPos - 1;
        if (rest == 0 || rest % 2 != 0) {
            return new int[0];
        }
        int n = rest / 2;
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = streamsPos + 1 + i;
        }
        return keys;
    }

    private void xread(CommandContext c, boolean xreadgroup) {
        long timeout = -1;
        long count = 0;
        int streamsArg = 0;
        int streamsCount = 0;
        byte[] groupName = null;
        byte[] consumerName = null;
        boolean noack = false;
        int argc = c.argc();
        String name = xreadgroup ? "xreadgroup" : "xread";
        for (int i = 1; i < argc; i++) {
            int moreargs = argc - i - 1;
            if (c.argIs(i, "block") && moreargs > 0) {
                i++;
                Long t = Numbers.parseLongOrNull(c.arg(i));
                if (t == null) {
                    throw new CommandError("ERR timeout is not an integer or out of range");
                }
                if (t < 0) {
                    throw new CommandError("ERR timeout is negative");
                }
                timeout = t;
            } else if (c.argIs(i, "count") && moreargs > 0) {
                i++;
                count = c.longArg(i);
                if (count < 0) {
                    count = 0;
                }
            } else if (c.argIs(i, "streams") && moreargs > 0) {
                streamsArg = i + 1;
                streamsCount = argc - streamsArg;
                if (streamsCount % 2 != 0) {
                    throw new CommandError("ERR Unbalanced " + name.toUpperCase(Locale.ROOT) + " list of streams: for each stream key an ID or '"
                            + (xreadgroup ? '>' : '$') + "' must be specified.");
                }
                streamsCount /= 2;
                break;
            } else if (c.argIs(i, "group") && moreargs >= 2) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupName = c.arg(i + 1);
                consumerName = c.arg(i + 2);
                i += 2;
            } else if (c.argIs(i, "noack")) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noack = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (streamsArg == 0) {
            throw CommandError.SYNTAX;
        }
        if (xreadgroup && groupName == null) {
            throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        }
        long[][] ids = new long[streamsCount][];
        Group[] groups = xreadgroup ? new Group[streamsCount] : null;
        StreamValue[] streams = new StreamValue[streamsCount];
        for (int k = 0; k < streamsCount; k++) {
            int idArg = streamsArg + streamsCount + k;
            byte[] key = c.arg(streamsArg + k);
            Object o = c.readKey(key);
            if (c.retrying() && o != null && !(o instanceof StreamValue)) {
                o = null; // Redis serves a blocked XREAD only from a stream: keep waiting
            }
            StreamValue s = asStream(o);
            streams[k] = s;
            if (groupName != null) {
                Group gr = s == null ? null : s.group(groupName);
                if (gr == null && c.retrying()) {
                    if (s != null) {
                        throw new CommandError("NOGROUP the consumer group this client was blocked on no longer exists");
                    }
                } else if (gr == null) {
                    throw new CommandError("NOGROUP No such key '" + str(key) + "' or consumer group '" + str(groupName)
                            + "' in XREADGROUP with GROUP option");
                }
                groups[k] = gr;
            }
            byte[] idb = c.arg(idArg);
            if (idb.length == 1 && idb[0] == '$') {
                if (xreadgroup) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
                            + "history of this consumer by specifying a proper ID, or use the > ID to get new messages. "
                            + "The $ ID would just return an empty result set.");
                }
                ids[k] = s != null ? new long[] {s.lastMs(), s.lastSeq()} : new long[] {0, 0};
                continue;
            } else if (idb.length == 1 && idb[0] == '>') {
                if (!xreadgroup) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                            + "<group> <consumer> option.");
                }
                ids[k] = new long[] {MAX, MAX};
                continue;
            }
            ids[k] = strictId(idb);
        }
        // Decide which streams are served now (no side effects yet).
        boolean[] serve = new boolean[streamsCount];
        boolean[] history = new boolean[streamsCount];
        IdentityHashMap<Group, long[]> advanced = new IdentityHashMap<>();
        int served = 0;
        long[] maxid = new long[2];
        for (int k = 0; k < streamsCount; k++) {
            StreamValue s = streams[k];
            if (s == null) {
                continue;
            }
            long[] gt = ids[k];
            if (groups != null) {
                if (groups[k] == null) {
                    continue;
                }
                if (gt[0] != MAX || gt[1] != MAX) {
                    serve[k] = true;
                    history[k] = true;
                } else if (s.length() > 0) {
                    // Redis decides and serves key by key: a key named twice sees the group
                    // already advanced by the first read, so track that advance here.
                    Group gr = groups[k];
                    long[] last = advanced.computeIfAbsent(gr, x -> new long[] {gr.lastMs, gr.lastSeq});
                    s.edgeId(false, maxid);
                    if (StreamValue.compare(maxid[0], maxid[1], last[0], last[1]) > 0) {
                        serve[k] = true;
                        gt[0] = last[0];
                        gt[1] = last[1];
                        long[] start = gt.clone();
                        incr(start);
                        s.range(start[0], start[1], MAX, MAX, count, false, (m, q, d, o) -> {
                            last[0] = m;
                            last[1] = q;
                            return true;
                        });
                    }
                }
            } else if (s.length() > 0) {
                s.edgeId(false, maxid);
                if (StreamValue.compare(maxid[0], maxid[1], gt[0], gt[1]) > 0) {
                    serve[k] = true;
                }
            }
            if (serve[k]) {
                served++;
            }
        }
        Reply r = c.reply();
        if (served > 0) {
            if (r.resp3()) {
                r.map(served);
            } else {
                r.array(served);
            }
            for (int k = 0; k < streamsCount; k++) {
                if (!serve[k]) {
                    continue;
                }
                StreamValue s = streams[k];
                byte[] key = c.arg(streamsArg + k);
                long[] start = ids[k].clone();
                incr(start);
                if (!r.resp3()) {
                    r.array(2);
                }
                r.bulk(key);
                if (groups == null) {
                    replyRange(r, s, start[0], start[1], MAX, MAX, count, false);
                    continue;
                }
                Group gr = groups[k];
                boolean existed = gr.consumer(consumerName) != null;
                Consumer consumer = seenConsumer(c, key, gr, consumerName, c.now());
                if (!existed && noack) { // otherwise the XCLAIM ... FORCE of each delivery creates it on replay
                    c.alsoPropagate(XGROUP, CREATECONSUMER, key, gr.name, consumerName);
                }
                if (history[k]) {
                    replyFromConsumerPel(r, s, gr, consumer, start, count, c.now());
                } else {
                    long lastMs = gr.lastMs, lastSeq = gr.lastSeq;
                    replyGroupRange(r, s, gr, consumer, start, count, noack, c.now(), c.propagating() ? c : null, key);
                    // With NOACK nothing carries the group's new last ID: XGROUP SETID does (as Redis 7.0 writes it).
                    if (noack && c.propagating() && (gr.lastMs != lastMs || gr.lastSeq != lastSeq)) {
                        // The group's new last ID and entries-read counter (streamPropagateGroupID).
                        c.alsoPropagate(XGROUP, SETID, key, gr.name, idBytes(gr.lastMs, gr.lastSeq), ENTRIESREAD,
                                CommandContext.bytes(gr.entriesRead));
                    }
                }
                c.preventPropagation(); // XREADGROUP replays as the XCLAIM / XGROUP commands above
            }
            return;
        }
        if (timeout != -1) {
            if (c.client().executingMulti()) {
                r.nullArray();
                return;
            }
            if (!xreadgroup) {
                // The retry must wait for entries after the IDs seen now: pin '$' to the current last ID.
                for (int k = 0; k < streamsCount; k++) {
                    int idArg = streamsArg + streamsCount + k;
                    byte[] idb = c.arg(idArg);
                    if (idb.length == 1 && idb[0] == '$') {
                        c.argv()[idArg] = StreamValue.idString(ids[k][0], ids[k][1]).getBytes(StandardCharsets.US_ASCII);
                    }
                }
            }
            byte[][] keys = new byte[streamsCount][];
            for (int k = 0; k < streamsCount; k++) {
                keys[k] = c.arg(streamsArg + k);
            }
            c.block(keys, timeout, Reply::nullArray);
            return;
        }
        r.nullArray();
    }

    /** New entries for a group ('>'): advances the group and fills the PELs (streamReplyWithRange with a group). */
    private static void replyGroupRange(Reply r, StreamValue s, Group gr, Consumer consumer, long[] start, long count,
            boolean noack, long now, CommandContext propagate, byte[] key) {
        long n = s.range(start[0], start[1], MAX, MAX, count, false, (m, q, d, o) -> true);
        r.array(n);
        s.range(start[0], start[1], MAX, MAX, count, false, (m, q, d, o) -> {
            if (StreamValue.compare(m, q, gr.lastMs, gr.lastSeq) > 0) {
                if (gr.entriesRead != StreamValue.INVALID_ENTRIES_READ && !s.rangeHasTombstones(m, q)) {
                    gr.entriesRead++;
                } else if (s.entriesAdded() != 0) {
                    gr.entriesRead = s.estimateDistanceFromFirstEverEntry(m, q);
                }
                gr.lastMs = m;
                gr.lastSeq = q;
            }
            replyEntry(r, m, q, d, o);
            if (!noack) {
                StreamPel pel = gr.pel;
                int at = pel.find(m, q);
                if (at < 0) {
                    pel.insert(-at - 1, m, q, now, 1, consumer);
                    consumer.pel.add(m, q);
                } else {
                    pel.owner(at).pel.remove(m, q);
                    pel.owner(at, consumer);
                    pel.time(at, now);
                    pel.count(at, 1);
                    consumer.pel.add(m, q);
                }
                if (propagate != null) {
                    propagateXclaim(propagate, key, gr, consumer.name, m, q, now, 1);
                }
            }
            return true;
        });
    }

    private static final byte[] XGROUP = CommandContext.bytes("XGROUP");
    private static final byte[] CREATECONSUMER = CommandContext.bytes("CREATECONSUMER");
    private static final byte[] SETID = CommandContext.bytes("SETID");
    private static final byte[] ENTRIESREAD = CommandContext.bytes("ENTRIESREAD");
    private static final byte[] XCLAIM = CommandContext.bytes("XCLAIM");

    private static byte[] idBytes(long ms, long seq) {
        return StreamValue.idString(ms, seq).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A delivery or claim, propagated as Redis's streamPropagateXCLAIM: XCLAIM key group consumer
     * 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID group-last-id.
     */
    private static void propagateXclaim(CommandContext c, byte[] key, Group gr, byte[] consumer, long ms, long seq,
            long deliveryTime, long deliveries) {
        c.alsoPropagate(XCLAIM, key, gr.name, consumer, CommandContext.bytes("0"), idBytes(ms, seq),
                CommandContext.bytes("TIME"), CommandContext.bytes(deliveryTime), CommandContext.bytes("RETRYCOUNT"),
                CommandContext.bytes(deliveries), CommandContext.bytes("FORCE"), CommandContext.bytes("JUSTID"),
                CommandContext.bytes("LASTID"), idBytes(gr.lastMs, gr.lastSeq));
    }

    /** A consumer's history (streamReplyWithRangeFromConsumerPEL). */
    private static void replyFromConsumerPel(Reply r, StreamValue s, Group gr, Consumer consumer, long[] start, long count,
            long now) {
        StreamPel cp = consumer.pel;
        int from = cp.ceiling(start[0], start[1]);
        long n = cp.size() - from;
        if (count != 0 && n > count) {
            n = count;
        }
        r.array(n);
        for (int i = from; i < from + n; i++) {
            long m = cp.ms(i);
            long q = cp.seq(i);
            if (!s.exists(m, q)) {
                r.array(2);
                replyId(r, m, q);
                r.nullArray();
            } else {
                s.range(m, q, m, q, 1, false, (mm, qq, d, o) -> {
                    replyEntry(r, mm, qq, d, o);
                    return false;
                });
                int at = gr.pel.find(m, q);
                if (at >= 0) {
                    gr.pel.time(at, now);
                    gr.pel.count(at, gr.pel.count(at) + 1);
                }
            }
        }
    }

    // ---- groups ---------------------------------------------------------------------------

    private void xgroup(CommandContext c) {
        String opt = c.argString(1).toLowerCase(Locale.ROOT);
        StreamValue s = null;
        Group cg = null;
        boolean mkstream = false;
        long entriesRead = StreamValue.INVALID_ENTRIES_READ;
        byte[] key = null;
        byte[] grpname = null;
        if (c.argc() >= 4) {
            if (opt.equals("create") || opt.equals("setid")) {
                int i = 5;
                boolean create = opt.equals("create");
                while (i < c.argc()) {
                    if (create && c.argIs(i, "mkstream")) {
                        mkstream = true;
                        i++;
                    } else if (c.argIs(i, "entriesread") && i + 1 < c.argc()) {
                        entriesRead = c.longArg(i + 1);
                        if (entriesRead < 0 && entriesRead != StreamValue.INVALID_ENTRIES_READ) {
                            throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
                        }
                        i += 2;
                    } else {
                        throw Help.subcommandSyntax(c);
                    }
                }
            }
            key = c.arg(2);
            s = asStream(c.writeKey(key));
            grpname = c.arg(3);
            if (!mkstream) {
                if (s == null) {
                    throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you "
                            + "may want to use the MKSTREAM option to create an empty stream automatically.");
                }
                cg = s.group(grpname);
                if (cg == null && (opt.equals("setid") || opt.equals("createconsumer") || opt.equals("delconsumer"))) {
                    throw new CommandError("NOGROUP No such consumer group '" + str(grpname) + "' for key name '" + str(key) + "'");
                }
            }
        }
        Reply r = c.reply();
        if (c.argc() == 2 && opt.equals("help")) {
            Help.reply(c, "XGROUP",
                    "CREATE <key> <groupname> <id|$> [option]",
                    "    Create a new consumer group. Options are:",
                    "    * MKSTREAM",
                    "      Create the empty stream if it does not exist.",
                    "    * ENTRIESREAD entries_read",
                    "      Set the group's entries_read counter (internal use).",
                    "CREATECONSUMER <key> <groupname> <consumer>",
                    "    Create a new consumer in the specified group.",
                    "DELCONSUMER <key> <groupname> <consumer>",
                    "    Remove the specified consumer.",
                    "DESTROY <key> <groupname>",
                    "    Remove the specified group.",
                    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                    "    Set the current group ID and entries_read counter.");
        } else if (opt.equals("create") && c.argc() >= 5 && c.argc() <= 8) {
            long[] id;
            byte[] ida = c.arg(4);
            if (ida.length == 1 && ida[0] == '$') {
                id = s != null ? new long[] {s.lastMs(), s.lastSeq()} : new long[] {0, 0};
            } else {
                id = strictId(ida);
            }
            boolean created = false;
            if (s == null) {
                s = new StreamValue();
                c.db().set(key, s, c.now());
                created = true;
            }
            if (s.createGroup(grpname, id[0], id[1], entriesRead) != null) {
                r.ok();
                if (created) {
                    c.changed(key, KeyspaceEvents.STREAM, "xgroup-create");
                } else {
                    c.notifyEvent(key, KeyspaceEvents.STREAM, "xgroup-create");
                    c.server().addDirty(1); // a change to propagate (server.dirty++), no WATCH touch, as Redis
                }
            } else {
                if (created) {
                    c.changed(key, KeyspaceEvents.STREAM, "xgroup-create");
                }
                r.error("BUSYGROUP Consumer Group name already exists");
            }
        } else if (opt.equals("setid") && (c.argc() == 5 || c.argc() == 7)) {
            long[] id;
            byte[] ida = c.arg(4);
            if (ida.length == 1 && ida[0] == '$') {
                id = new long[] {s.lastMs(), s.lastSeq()};
            } else {
                id = new long[2];
                parseId(ida, 0, false, null, id);
            }
            cg.lastMs = id[0];
            cg.lastSeq = id[1];
            cg.entriesRead = entriesRead;
            r.ok();
            c.notifyEvent(key, KeyspaceEvents.STREAM, "xgroup-setid");
            c.server().addDirty(1); // a change to propagate (server.dirty++), no WATCH touch, as Redis
        } else if (opt.equals("destroy") && c.argc() == 4) {
            if (cg != null) {
                s.destroyGroup(grpname);
                r.integer(1);
                c.notifyEvent(key, KeyspaceEvents.STREAM, "xgroup-destroy");
                c.server().addDirty(1); // a change to propagate (server.dirty++), no WATCH touch, as Redis
                c.signalKeyAsReady(key);
            } else {
                r.integer(0);
            }
        } else if (opt.equals("createconsumer") && c.argc() == 5) {
            Consumer created = cg.createConsumer(c.arg(4), c.now());
            if (created != null) {
                c.notifyEvent(key, KeyspaceEvents.STREAM, "xgroup-createconsumer");
                c.server().addDirty(1); // a change to propagate (server.dirty++), no WATCH touch, as Redis
            }
            r.integer(created != null ? 1 : 0);
        } else if (opt.equals("delconsumer") && c.argc() == 5) {
            long pending = 0;
            Consumer consumer = cg.consumer(c.arg(4));
            if (consumer != null) {
                pending = cg.deleteConsumer(consumer);
                c.notifyEvent(key, KeyspaceEvents.STREAM, "xgroup-delconsumer");
                c.server().addDirty(1); // a change to propagate (server.dirty++), no WATCH touch, as Redis
            }
            r.integer(pending);
        } else {
            throw Help.subcommandSyntax(c);
        }
    }

    private void xack(CommandContext c) {
        StreamValue s = asStream(c.readKey(c.arg(1)));
        Group gr = s == null ? null : s.group(c.arg(2));
        if (gr == null) {
            c.reply().integer(0);
            return;
        }
        long[][] ids = idsFrom(c, 3);
        long acked = 0;
        for (long[] id : ids) {
            int at = gr.pel.find(id[0], id[1]);
            if (at >= 0) {
                gr.pel.owner(at).pel.remove(id[0], id[1]);
                gr.pel.removeAt(at);
                acked++;
            }
        }
        c.server().addDirty(acked);
        c.reply().integer(acked);
    }

    private void xpending(CommandContext c) {
        int argc = c.argc();
        boolean justinfo = argc == 3;
        byte[] key = c.arg(1);
        byte[] groupName = c.arg(2);
        byte[] consumerName = null;
        long count = 0;
        long minidle = 0;
        long[] start = null;
        long[] end = null;
        if (argc != 3 && (argc < 6 || argc > 9)) {
            throw CommandError.SYNTAX;
        }
        if (argc >= 6) {
            int startidx = 3;
            if (c.argIs(3, "idle")) {
                minidle = c.longArg(4);
                if (argc < 8) {
                    throw CommandError.SYNTAX;
                }
                startidx += 2;
            }
            count = c.longArg(startidx + 2);
            if (count < 0) {
                count = 0;
            }
            start = intervalId(c.arg(startidx), 0);
            if (start[2] == 1 && !incr(start)) {
                throw INVALID_START;
            }
            end = intervalId(c.arg(startidx + 1), MAX);
            if (end[2] == 1 && !decr(end)) {
                throw INVALID_END;
            }
            if (startidx + 3 < argc) {
                consumerName = c.arg(startidx + 3);
            }
        }
        StreamValue s = asStream(c.readKey(key));
        Group gr = s == null ? null : s.group(groupName);
        if (gr == null) {
            throw noGroup(key, groupName);
        }
        Reply r = c.reply();
        StreamPel pel = gr.pel;
        if (justinfo) {
            r.array(4);
            r.integer(pel.size());
            if (pel.size() == 0) {
                r.nullBulk();
                r.nullBulk();
                r.nullArray();
            } else {
                replyId(r, pel.ms(0), pel.seq(0));
                replyId(r, pel.ms(pel.size() - 1), pel.seq(pel.size() - 1));
                int n = 0;
                for (Consumer cons : gr.consumers.values()) {
                    if (cons.pel.size() > 0) {
                        n++;
                    }
                }
                r.array(n);
                for (Consumer cons : gr.consumers.values()) {
                    if (cons.pel.size() > 0) {
                        r.array(2);
                        r.bulk(cons.name);
                        r.bulk(cons.pel.size());
                    }
                }
            }
            return;
        }
        Consumer consumer = null;
        if (consumerName != null) {
            consumer = gr.consumer(consumerName);
            if (consumer == null) {
                r.array(0);
                return;
            }
        }
        StreamPel walk = consumer != null ? consumer.pel : pel;
        long now = c.now();
        ArrayList<Integer> rows = new ArrayList<>();
        long left = count;
        for (int i = walk.ceiling(start[0], start[1]); left > 0 && i < walk.size(); i++) {
            long m = walk.ms(i);
            long q = walk.seq(i);
            if (StreamValue.compare(m, q, end[0], end[1]) > 0) {
                break;
            }
            int at = consumer != null ? pel.find(m, q) : i;
            if (minidle != 0 && now - pel.time(at) < minidle) {
                continue;
            }
            rows.add(at);
            left--;
        }
        r.array(rows.size());
        for (int at : rows) {
            r.array(4);
            replyId(r, pel.ms(at), pel.seq(at));
            r.bulk(pel.owner(at).name);
            long elapsed = now - pel.time(at);
            r.integer(Math.max(elapsed, 0));
            r.integer(pel.count(at));
        }
    }

    private void xclaim(CommandContext c) {
        byte[] key = c.arg(1);
        StreamValue s = asStream(c.readKey(key));
        Group gr = s == null ? null : s.group(c.arg(2));
        if (gr == null) {
            throw noGroup(key, c.arg(2));
        }
        long minidle = longArg(c, 4, "Invalid min-idle-time argument for XCLAIM");
        if (minidle < 0) {
            minidle = 0;
        }
        int j;
        ArrayList<long[]> ids = new ArrayList<>();
        for (j = 5; j < c.argc(); j++) {
            long[] id = new long[2];
            try {
                parseId(c.arg(j), 0, true, null, id);
            } catch (CommandError e) {
                break;
            }
            ids.add(id);
        }
        long now = c.now();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justid = false;
        long[] lastId = {0, 0};
        for (; j < c.argc(); j++) {
            int moreargs = c.argc() - 1 - j;
            if (c.argIs(j, "force")) {
                force = true;
            } else if (c.argIs(j, "justid")) {
                justid = true;
            } else if (c.argIs(j, "idle") && moreargs > 0) {
                j++;
                deliveryTime = now - longArg(c, j, "Invalid IDLE option argument for XCLAIM");
            } else if (c.argIs(j, "time") && moreargs > 0) {
                j++;
                deliveryTime = longArg(c, j, "Invalid TIME option argument for XCLAIM");
            } else if (c.argIs(j, "retrycount") && moreargs > 0) {
                j++;
                retryCount = longArg(c, j, "Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (c.argIs(j, "lastid") && moreargs > 0) {
                j++;
                lastId = strictId(c.arg(j));
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + c.argString(j) + "'");
            }
        }
        boolean lastIdMoved = false;
        if (StreamValue.compare(lastId[0], lastId[1], gr.lastMs, gr.lastSeq) > 0) {
            gr.lastMs = lastId[0];
            gr.lastSeq = lastId[1];
            lastIdMoved = true;
        }
        // XCLAIM replays as one XCLAIM ... FORCE JUSTID per entry it claimed or dropped (xclaimCommand).
        c.preventPropagation();
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
        } else {
            deliveryTime = now;
        }
        byte[] name = c.arg(3);
        Consumer consumer = null;
        Reply r = c.reply();
        // Claim first, reply after: the reply length is the number of claimed entries.
        ArrayList<long[]> claimed = new ArrayList<>();
        for (long[] id : ids) {
            int at = gr.pel.find(id[0], id[1]);
            if (!s.exists(id[0], id[1])) {
                if (at >= 0) {
                    gr.pel.owner(at).pel.remove(id[0], id[1]);
                    gr.pel.removeAt(at);
                    if (c.propagating()) {
                        propagateXclaim(c, key, gr, name, id[0], id[1], now, 1);
                    }
                }
                continue;
            }
            if (force && at < 0) {
                at = -at - 1;
                gr.pel.insert(at, id[0], id[1], now, 1, null);
            }
            if (at >= 0) {
                Consumer owner = gr.pel.owner(at);
                if (owner != null && minidle != 0 && now - gr.pel.time(at) < minidle) {
                    continue;
                }
                if (consumer == null) {
                    consumer = seenConsumer(c, key, gr, name, now);
                }
                if (owner != consumer && owner != null) {
                    owner.pel.remove(id[0], id[1]);
                }
                gr.pel.time(at, deliveryTime);
                if (retryCount >= 0) {
                    gr.pel.count(at, retryCount);
                } else if (!justid) {
                    gr.pel.count(at, gr.pel.count(at) + 1);
                }
                if (owner != consumer) {
                    consumer.pel.add(id[0], id[1]);
                    gr.pel.owner(at, consumer);
                }
                claimed.add(id);
                if (c.propagating()) {
                    propagateXclaim(c, key, gr, name, id[0], id[1], gr.pel.time(at), gr.pel.count(at));
                }
            }
        }
        if (lastIdMoved && c.propagating()) {
            c.alsoPropagate(XGROUP, SETID, key, gr.name, idBytes(gr.lastMs, gr.lastSeq), ENTRIESREAD,
                    CommandContext.bytes(gr.entriesRead));
        }
        r.array(claimed.size());
        for (long[] id : claimed) {
            if (justid) {
                replyId(r, id[0], id[1]);
            } else if (!replySingle(r, s, id[0], id[1])) {
                r.nullBulk();
            }
        }
    }

    private void xautoclaim(CommandContext c) {
        byte[] key = c.arg(1);
        long minidle = longArg(c, 4, "Invalid min-idle-time argument for XAUTOCLAIM");
        if (minidle < 0) {
            minidle = 0;
        }
        long[] start = intervalId(c.arg(5), 0);
        if (start[2] == 1 && !incr(start)) {
            throw INVALID_START;
        }
        long count = 100;
        boolean justid = false;
        int j = 6;
        while (j < c.argc()) {
            int moreargs = c.argc() - 1 - j;
            if (c.argIs(j, "count") && moreargs > 0) {
                long maxCount = Long.MAX_VALUE / 16;
                Long v = Numbers.parseLongOrNull(c.arg(j + 1));
                if (v == null) {
                    throw CommandError.NOT_INTEGER;
                }
                if (v < 1 || v > maxCount) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                count = v;
                j++;
            } else if (c.argIs(j, "justid")) {
                justid = true;
            } else {
                throw CommandError.SYNTAX;
            }
            j++;
        }
        StreamValue s = asStream(c.readKey(key));
        Group gr = s == null ? null : s.group(c.arg(2));
        if (gr == null) {
            throw noGroup(key, c.arg(2));
        }
        long attempts = count * 10;
        long now = c.now();
        byte[] name = c.arg(3);
        Consumer consumer = null;
        StreamPel pel = gr.pel;
        ArrayList<long[]> claimed = new ArrayList<>();
        ArrayList<long[]> deletedIds = new ArrayList<>();
        int i = pel.ceiling(start[0], start[1]);
        while (attempts-- > 0 && count > 0 && i < pel.size()) {
            long m = pel.ms(i);
            long q = pel.seq(i);
            if (!s.exists(m, q)) {
                pel.owner(i).pel.remove(m, q);
                pel.removeAt(i);
                deletedIds.add(new long[] {m, q});
                if (c.propagating()) {
                    propagateXclaim(c, key, gr, name, m, q, now, 1);
                }
                count--;
                continue;
            }
            if (minidle != 0 && now - pel.time(i) < minidle) {
                i++;
                continue;
            }
            if (consumer == null) {
                consumer = seenConsumer(c, key, gr, name, now);
            }
            Consumer owner = pel.owner(i);
            if (owner != consumer) {
                owner.pel.remove(m, q);
            }
            pel.time(i, now);
            if (!justid) {
                pel.count(i, pel.count(i) + 1);
            }
            if (owner != consumer) {
                consumer.pel.add(m, q);
                pel.owner(i, consumer);
            }
            claimed.add(new long[] {m, q});
            if (c.propagating()) {
                propagateXclaim(c, key, gr, name, m, q, now, pel.count(i));
            }
            count--;
            i++;
        }
        c.preventPropagation(); // replays as the XCLAIMs above (xautoclaimCommand)
        Reply r = c.reply();
        r.array(3);
        if (i < pel.size()) {
            replyId(r, pel.ms(i), pel.seq(i));
        } else {
            replyId(r, 0, 0);
        }
        r.array(claimed.size());
        for (long[] id : claimed) {
            if (justid) {
                replyId(r, id[0], id[1]);
            } else {
                replySingle(r, s, id[0], id[1]);
            }
        }
        r.array(deletedIds.size());
        for (long[] id : deletedIds) {
            replyId(r, id[0], id[1]);
        }
    }

    // ---- XINFO ----------------------------------------------------------------------------

    private void xinfo(CommandContext c) {
        if (c.argIs(1, "help")) {
            if (c.argc() != 2) {
                throw Help.subcommandSyntax(c);
            }
            Help.reply(c, "XINFO",
                    "CONSUMERS <key> <groupname>",
                    "    Show consumers of <groupname>.",
                    "GROUPS <key>",
                    "    Show the stream consumer groups.",
                    "STREAM <key> [FULL [COUNT <count>]",
                    "    Show information about the stream.");
            return;
        }
        byte[] key = c.arg(2);
        Object o = c.readKey(key);
        if (o == null) {
            throw NO_SUCH_KEY;
        }
        StreamValue s = asStream(o);
        Reply r = c.reply();
        long now = c.now();
        if (c.argIs(1, "consumers") && c.argc() == 4) {
            Group cg = s.group(c.arg(3));
            if (cg == null) {
                throw new CommandError("NOGROUP No such consumer group '" + c.argString(3) + "' for key name '" + str(key) + "'");
            }
            r.array(cg.consumers.size());
            for (Consumer cons : cg.consumers.values()) {
                r.map(3);
                r.bulk("name");
                r.bulk(cons.name);
                r.bulk("pending");
                r.integer(cons.pel.size());
                r.bulk("idle");
                r.integer(Math.max(now - cons.seenTime, 0));
            }
        } else if (c.argIs(1, "groups") && c.argc() == 3) {
            r.array(s.groupCount());
            for (Group cg : s.groups()) {
                r.map(6);
                r.bulk("name");
                r.bulk(cg.name);
                r.bulk("consumers");
                r.integer(cg.consumers.size());
                r.bulk("pending");
                r.integer(cg.pel.size());
                r.bulk("last-delivered-id");
                replyId(r, cg.lastMs, cg.lastSeq);
                r.bulk("entries-read");
                replyEntriesRead(r, cg);
                r.bulk("lag");
                replyLag(r, s, cg);
            }
        } else if (c.argIs(1, "stream")) {
            xinfoStream(c, s);
        } else {
            throw Help.subcommandSyntax(c);
        }
    }

    private static void replyEntriesRead(Reply r, Group cg) {
        if (cg.entriesRead != StreamValue.INVALID_ENTRIES_READ) {
            r.integer(cg.entriesRead);
        } else {
            r.nullBulk();
        }
    }

    private static void replyLag(Reply r, StreamValue s, Group cg) {
        long lag = s.lag(cg);
        if (lag == Long.MIN_VALUE) {
            r.nullBulk();
        } else {
            r.integer(lag);
        }
    }

    private void xinfoStream(CommandContext c, StreamValue s) {
        boolean full = true;
        long count = 10;
        int argc = c.argc() - 3;
        if (argc == 0) {
            full = false;
        } else {
            if (argc != 1 && argc != 3) {
                throw Help.subcommandSyntax(c);
            }
            if (!c.argIs(3, "full")) {
                throw Help.subcommandSyntax(c);
            }
            if (argc == 3) {
                if (!c.argIs(4, "count")) {
                    throw Help.subcommandSyntax(c);
                }
                count = c.longArg(5);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        Reply r = c.reply();
        r.map(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.nodeCount());
        r.bulk("radix-tree-nodes");
        r.integer(s.radixTreeNodes());
        r.bulk("last-generated-id");
        replyId(r, s.lastMs(), s.lastSeq());
        r.bulk("max-deleted-entry-id");
        replyId(r, s.maxDeletedMs(), s.maxDeletedSeq());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        replyId(r, s.firstMs(), s.firstSeq());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groupCount());
            r.bulk("first-entry");
            if (s.range(0, 0, MAX, MAX, 1, false, (m, q, d, o) -> {
                replyEntry(r, m, q, d, o);
                return false;
            }) == 0) {
                r.nullBulk();
            }
            r.bulk("last-entry");
            if (s.range(0, 0, MAX, MAX, 1, true, (m, q, d, o) -> {
                replyEntry(r, m, q, d, o);
                return false;
            }) == 0) {
                r.nullBulk();
            }
            return;
        }
        r.bulk("entries");
        replyRange(r, s, 0, 0, MAX, MAX, count, false);
        r.bulk("groups");
        r.array(s.groupCount());
        for (Group cg : s.groups()) {
            r.map(7);
            r.bulk("name");
            r.bulk(cg.name);
            r.bulk("last-delivered-id");
            replyId(r, cg.lastMs, cg.lastSeq);
            r.bulk("entries-read");
            replyEntriesRead(r, cg);
            r.bulk("lag");
            replyLag(r, s, cg);
            r.bulk("pel-count");
            r.integer(cg.pel.size());
            r.bulk("pending");
            StreamPel pel = cg.pel;
            long n = count == 0 ? pel.size() : Math.min(count, pel.size());
            r.array(n);
            for (int i = 0; i < n; i++) {
                r.array(4);
                replyId(r, pel.ms(i), pel.seq(i));
                r.bulk(pel.owner(i).name);
                r.integer(pel.time(i));
                r.integer(pel.count(i));
            }
            r.bulk("consumers");
            r.array(cg.consumers.size());
            for (Consumer cons : cg.consumers.values()) {
                r.map(4);
                r.bulk("name");
                r.bulk(cons.name);
                r.bulk("seen-time");
                r.integer(cons.seenTime);
                r.bulk("pel-count");
                r.integer(cons.pel.size());
                r.bulk("pending");
                StreamPel cp = cons.pel;
                long cn = count == 0 ? cp.size() : Math.min(count, cp.size());
                r.array(cn);
                for (int i = 0; i < cn; i++) {
                    int at = pel.find(cp.ms(i), cp.seq(i));
                    r.array(3);
                    replyId(r, cp.ms(i), cp.seq(i));
                    r.integer(at >= 0 ? pel.time(at) : 0);
                    r.integer(at >= 0 ? pel.count(at) : 0);
                }
            }
        }
    }

    /**
     * The named consumer of a group, created when missing (streamCreateConsumer: the
     * "xgroup-createconsumer" event and a change to propagate, no WATCH touch, as Redis), with
     * its seen time set to {@code now}.
     */
    private static Consumer seenConsumer(CommandContext c, byte[] key, Group gr, byte[] name, long now) {
        Consumer consumer = gr.consumer(name);
        if (consumer == null) {
            consumer = gr.createConsumer(name, now);
            c.notifyEvent(key, KeyspaceEvents.STREAM, "xgroup-createconsumer");
            c.server().addDirty(1);
        }
        consumer.seenTime = now;
        return consumer;
    }
}
