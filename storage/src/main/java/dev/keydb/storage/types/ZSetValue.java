package dev.keydb.storage.types;

import dev.keydb.storage.AccountedValue;
import dev.keydb.storage.ValueType;
import java.util.Arrays;

/**
 * A sorted set (Redis's t_zset.c), knowing nothing about RESP. Two encodings, as Redis 7:
 * <ul>
 *   <li><b>listpack</b>: one {@code byte[]} of (length, member, score) entries sorted by
 *       (score, member) ({@link ZListpack}), for up to {@link Limits#maxEntries} members of
 *       at most {@link Limits#maxValue} bytes;</li>
 *   <li><b>skiplist</b>: a {@link ZSkipList} with spans (O(log n) rank) plus a member-to-score
 *       {@link ScoreDict}; both share each member's byte array.</li>
 * </ul>
 * A set converts to skiplist when an insert would exceed a threshold, and never back on
 * removal (as Redis); {@link #convertToListpackIfFits} is for the *STORE commands.
 *
 * <p>All ranks here are 0-based ascending positions in (score, member) order. Range queries
 * translate bounds into rank intervals with {@link #countScoreLess} / {@link #countLexLess}.
 */
public final class ZSetValue extends AccountedValue implements ValueType.Typed {
    /**
     * zset-max-listpack-entries / zset-max-listpack-value. The server's configuration holds one
     * instance that every sorted set references, so CONFIG SET applies to existing sets at their
     * next conversion check, as in Redis.
     */
    public static final class Limits {
        public volatile long maxEntries = 128;
        public volatile long maxValue = 64;

        public Limits() {
        }

        public Limits(long maxEntries, long maxValue) {
            this.maxEntries = maxEntries;
            this.maxValue = maxValue;
        }
    }

    private final Limits limits;

    /** Receives one element of an iteration. */
    @FunctionalInterface
    public interface Visitor {
        void visit(byte[] member, double score);
    }

    // listpack encoding (null when skiplist)
    private ZListpack lp;
    // skiplist encoding (null when listpack)
    private ZSkipList zsl;
    private ScoreDict dict;

    private ZSetValue(Limits limits) {
        this.limits = limits;
    }

    /** An empty set in the compact encoding. */
    public static ZSetValue listpack(Limits limits) {
        ZSetValue z = new ZSetValue(limits);
        z.lp = new ZListpack(16);
        return z;
    }

    /** An empty set in the skiplist encoding. */
    public static ZSetValue skiplist(Limits limits) {
        ZSetValue z = new ZSetValue(limits);
        z.zsl = new ZSkipList();
        z.dict = new ScoreDict(8);
        return z;
    }

    /** The empty set ZADD creates for a first member of this length (Redis 7.0's rule). */
    public static ZSetValue forFirstMember(int memberLength, Limits limits) {
        return limits.maxEntries == 0 || memberLength > limits.maxValue ? skiplist(limits) : listpack(limits);
    }

    /** The empty set for an expected size and longest member (zsetTypeCreate). */
    public static ZSetValue forSize(long sizeHint, long maxMemberLength, Limits limits) {
        return sizeHint <= limits.maxEntries && maxMemberLength <= limits.maxValue && limits.maxEntries > 0
                ? listpack(limits) : skiplist(limits);
    }

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    /** The hash table of the hashtable (or skiplist) encoding, null in a compact one (DEBUG HTSTATS-KEY). */
    public dev.keydb.storage.OpenKeyTable hashtable() {
        return dict;
    }

    @Override
    public String encoding() {
        return zsl == null ? "listpack" : "skiplist";
    }

    public boolean isListpack() {
        return zsl == null;
    }

    public int size() {
        return zsl == null ? lp.size() : zsl.length;
    }

    /** A deep copy (member arrays are immutable and shared). */
    public ZSetValue copy() {
        if (zsl == null) {
            ZSetValue z = new ZSetValue(limits);
            z.lp = lp.copy();
            return z;
        }
        ZSetValue z = skiplist(limits);
        for (ZSkipList.Node x = zsl.header.next; x != null; x = x.next) {
            z.zsl.insert(x.score, x.ele);
            z.dict.put(x.ele, x.score);
        }
        return z;
    }

    // ---------------------------------------------------------------- point operations

    /** The member's score, or NaN when it is absent. */
    public double score(byte[] member) {
        if (zsl == null) {
            int i = lp.find(member);
            return i < 0 ? Double.NaN : lp.scoreAt(lp.offsetOf(i));
        }
        return dict.get(member);
    }

    public boolean contains(byte[] member) {
        return !Double.isNaN(score(member));
    }

    /**
     * Sets a member's score, inserting it when absent (converting to skiplist first when the
     * insert would pass a threshold). Returns true when the member was added.
     */
    public boolean put(byte[] member, double score) {
        if (zsl == null) {
            int i = lp.find(member);
            if (i >= 0) {
                int off = lp.offsetOf(i);
                if (lp.scoreAt(off) == score) {
                    return false;
                }
                lp.delete(off, 1);
                lpInsert(member, score);
                return false;
            }
            if (lp.size() + 1 > limits.maxEntries || member.length > limits.maxValue) {
                convertToSkiplist();
            } else {
                lpInsert(member, score);
                return true;
            }
        }
        double old = dict.get(member);
        if (!Double.isNaN(old)) {
            if (old != score) {
                byte[] stored = zsl.delete(old, member);
                zsl.insert(score, stored);
                dict.put(stored, score);
            }
            return false;
        }
        zsl.insert(score, member);
        dict.put(member, score);
        return true;
    }

    /** Removes a member; returns whether it was present. */
    public boolean remove(byte[] member) {
        if (zsl == null) {
            int i = lp.find(member);
            if (i < 0) {
                return false;
            }
            lp.delete(lp.offsetOf(i), 1);
            return true;
        }
        double old = dict.get(member);
        if (Double.isNaN(old)) {
            return false;
        }
        zsl.delete(old, member);
        dict.remove(member);
        return true;
    }

    /** 0-based ascending rank of the member, or -1. */
    public long rank(byte[] member) {
        if (zsl == null) {
            return lp.find(member);
        }
        double s = dict.get(member);
        if (Double.isNaN(s)) {
            return -1;
        }
        return zsl.rank(s, member) - 1;
    }

    private static int cmp(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        if (s1 > s2) {
            return 1;
        }
        return ZSkipList.compare(m1, m2);
    }

    private void lpInsert(byte[] member, double score) {
        if (score == 0) {
            score = 0.0; // the listpack keeps scores as text: an integral -0 reads back as 0
        }
        lp.insert(member, score);
    }

    // ---------------------------------------------------------------- conversions

    /** Switches to the skiplist encoding (no-op when already there). */
    public void convertToSkiplist() {
        if (zsl != null) {
            return;
        }
        ZSkipList l = new ZSkipList();
        ScoreDict d = new ScoreDict(lp.size() * 2);
        for (int i = 0, off = 0; i < lp.size(); i++, off = lp.next(off)) {
            byte[] m = lp.memberAt(off);
            double sc = lp.scoreAt(off);
            l.insert(sc, m);
            d.put(m, sc);
        }
        zsl = l;
        dict = d;
        lp = null;
    }

    /** Converts a skiplist set back to listpack when it fits the thresholds (zsetConvertToListpackIfNeeded). */
    public void convertToListpackIfFits() {
        if (zsl == null || zsl.length > limits.maxEntries) {
            return;
        }
        long maxLen = 0;
        for (ZSkipList.Node x = zsl.header.next; x != null; x = x.next) {
            maxLen = Math.max(maxLen, x.ele.length);
        }
        if (maxLen > limits.maxValue) {
            return;
        }
        ZListpack l = new ZListpack(16);
        for (ZSkipList.Node x = zsl.header.next; x != null; x = x.next) {
            l.insert(x.ele, x.score == 0 ? 0.0 : x.score);
        }
        lp = l;
        zsl = null;
        dict = null;
    }

    // ---------------------------------------------------------------- ranges

    /** Elements whose score is below {@code s}, or below-or-equal when {@code orEqual}. */
    public long countScoreLess(double s, boolean orEqual) {
        if (zsl != null) {
            return zsl.countScoreLess(s, orEqual);
        }
        int n = lp.size();
        int i = 0;
        for (int off = 0; i < n; i++, off = lp.next(off)) {
            double v = lp.scoreAt(off);
            if (!(v < s || (orEqual && v == s))) {
                break;
            }
        }
        return i;
    }

    /**
     * Elements whose member sorts below {@code v}, or below-or-equal when {@code orEqual}.
     * Meaningful when all scores are equal, as Redis's lex ranges.
     */
    public long countLexLess(byte[] v, boolean orEqual) {
        if (zsl != null) {
            return zsl.countLexLess(v, orEqual);
        }
        int n = lp.size();
        int i = 0;
        for (int off = 0; i < n; i++, off = lp.next(off)) {
            int c = lp.compareMember(off, v);
            if (!(c < 0 || (orEqual && c == 0))) {
                break;
            }
        }
        return i;
    }

    /**
     * Visits the elements of ascending ranks [start, end] (clamped by the caller to
     * 0 <= start <= end < size), from end down to start when {@code reverse}.
     */
    public void range(long start, long end, boolean reverse, Visitor v) {
        if (start > end) {
            return;
        }
        if (zsl == null) {
            if (reverse) {
                int[] offs = lp.offsets();
                for (int i = (int) end; i >= start; i--) {
                    v.visit(lp.memberAt(offs[i]), lp.scoreAt(offs[i]));
                }
            } else {
                int off = lp.offsetOf(start);
                for (long i = start; i <= end; i++, off = lp.next(off)) {
                    v.visit(lp.memberAt(off), lp.scoreAt(off));
                }
            }
            return;
        }
        long n = end - start + 1;
        if (reverse) {
            ZSkipList.Node x = zsl.byRank(end + 1);
            for (; n > 0 && x != null; n--, x = x.backward) {
                v.visit(x.ele, x.score);
            }
        } else {
            ZSkipList.Node x = zsl.byRank(start + 1);
            for (; n > 0 && x != null; n--, x = x.next) {
                v.visit(x.ele, x.score);
            }
        }
    }

    /** Visitor of {@link #forEachSlice}: the member is {@code buf[off, off+len)}, valid during the call only. */
    @FunctionalInterface
    public interface SliceVisitor {
        void visit(byte[] buf, int off, int len, double score);
    }

    /** Every element in ascending order, members as slices of the value's own storage (no copies: RDB writing). */
    public void forEachSlice(SliceVisitor v) {
        if (zsl == null) {
            for (int off = 0, end = lp.end(); off < end; off = lp.next(off)) {
                v.visit(lp.buffer(), lp.dataAt(off), lp.lenAt(off), lp.scoreAt(off));
            }
            return;
        }
        for (ZSkipList.Node x = zsl.byRank(1); x != null; x = x.next) {
            v.visit(x.ele, 0, x.ele.length, x.score);
        }
    }

    /** Every element in ascending order. */
    public void forEach(Visitor v) {
        int n = size();
        if (n > 0) {
            range(0, n - 1, false, v);
        }
    }

    public byte[] memberAt(long rank) {
        if (zsl == null) {
            return lp.memberAt(lp.offsetOf(rank));
        }
        return zsl.byRank(rank + 1).ele;
    }

    public double scoreAt(long rank) {
        if (zsl == null) {
            return lp.scoreAt(lp.offsetOf(rank));
        }
        return zsl.byRank(rank + 1).score;
    }

    /** Removes the elements of ascending ranks [start, end] (clamped by the caller); returns the count. */
    public long removeRange(long start, long end) {
        if (start > end) {
            return 0;
        }
        if (zsl == null) {
            int n = (int) (end - start + 1);
            lp.delete(lp.offsetOf(start), n);
            return n;
        }
        return zsl.deleteRangeByRank(start + 1, end + 1, dict::remove);
    }

    /**
     * One SCAN step over the members. The listpack encoding is returned whole with cursor 0,
     * as Redis does for small encodings.
     */
    public long scan(long cursor, Visitor v) {
        if (zsl == null) {
            forEach(v);
            return 0;
        }
        ScoreDict d = dict;
        return d.scan(cursor, slot -> v.visit(d.memberAt(slot), d.scoreAt(slot)));
    }

    /** A uniformly random ascending rank, for ZRANDMEMBER; the set must not be empty. */
    public long randomRank(java.util.random.RandomGenerator rnd) {
        return rnd.nextLong(size());
    }

    /**
     * Approximate heap bytes: the object and, for a listpack, its buffer; for a skip list each
     * node (header, member and neighbour references, score; one node in four also carries
     * arrays for its upper levels, about 12 bytes a node on average), each member's array,
     * and the member table's slots (key reference, hash, score bits).
     */
    public long memoryUsage() {
        if (lp != null) {
            return 16 + 24 + dev.keydb.storage.MemoryUsage.byteArray(lp.capacity());
        }
        // Per member: node, upper levels, and its array (16-byte header, length rounded up: ~4 on average).
        return 16 + 48 + 32 + 3 * 16L + (long) dict.capacity() * (4 + 4 + 8)
                + (long) dict.size() * (40 + 12 + 16 + 4) + dict.keyBytes();
    }
}
