package dev.keydb.storage.types;

import java.util.Arrays;

/**
 * A pending entries list: stream IDs in ascending (unsigned) order in parallel primitive
 * arrays. A group's PEL also carries, per ID, the last delivery time, the delivery count and
 * the owning consumer (Redis's streamNACK); a consumer's own PEL holds only the IDs (the
 * details are looked up in the group's PEL). New deliveries are appended at the end and acks
 * mostly remove from the front, so the arrays stay cheap to maintain.
 */
public final class StreamPel {
    private long[] ms;
    private long[] seq;
    private long[] time;
    private long[] count;
    private StreamValue.Consumer[] owner;
    private int size;
    private final boolean full;

    public StreamPel(boolean full) {
        this.full = full;
        ms = new long[4];
        seq = new long[4];
        if (full) {
            time = new long[4];
            count = new long[4];
            owner = new StreamValue.Consumer[4];
        }
    }

    public int size() { return size; }
    public long ms(int i) { return ms[i]; }
    public long seq(int i) { return seq[i]; }
    public long time(int i) { return time[i]; }
    public long count(int i) { return count[i]; }
    public StreamValue.Consumer owner(int i) { return owner[i]; }
    public void time(int i, long t) { time[i] = t; }
    public void count(int i, long c) { count[i] = c; }
    public void owner(int i, StreamValue.Consumer c) { owner[i] = c; }

    /** The index of the ID, or {@code -(insertion point) - 1}. */
    public int find(long m, long s) {
        int lo = 0, hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = StreamValue.compare(ms[mid], seq[mid], m, s);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** The index of the first ID >= (m, s) (may be size()). */
    public int ceiling(long m, long s) {
        int i = find(m, s);
        return i >= 0 ? i : -i - 1;
    }

    /** Inserts at {@code at} (from {@link #find}'s insertion point). */
    public void insert(int at, long m, long s, long t, long c, StreamValue.Consumer o) {
        if (size == ms.length) {
            int n = size * 2;
            ms = Arrays.copyOf(ms, n);
            seq = Arrays.copyOf(seq, n);
            if (full) {
                time = Arrays.copyOf(time, n);
                count = Arrays.copyOf(count, n);
                owner = Arrays.copyOf(owner, n);
            }
        }
        int tail = size - at;
        if (tail > 0) {
            System.arraycopy(ms, at, ms, at + 1, tail);
            System.arraycopy(seq, at, seq, at + 1, tail);
            if (full) {
                System.arraycopy(time, at, time, at + 1, tail);
                System.arraycopy(count, at, count, at + 1, tail);
                System.arraycopy(owner, at, owner, at + 1, tail);
            }
        }
        ms[at] = m;
        seq[at] = s;
        if (full) {
            time[at] = t;
            count[at] = c;
            owner[at] = o;
        }
        size++;
    }

    /** Adds an ID if absent; returns whether it was added. */
    public boolean add(long m, long s) {
        int i = find(m, s);
        if (i >= 0) {
            return false;
        }
        insert(-i - 1, m, s, 0, 0, null);
        return true;
    }

    public void removeAt(int at) {
        int tail = size - at - 1;
        if (tail > 0) {
            System.arraycopy(ms, at + 1, ms, at, tail);
            System.arraycopy(seq, at + 1, seq, at, tail);
            if (full) {
                System.arraycopy(time, at + 1, time, at, tail);
                System.arraycopy(count, at + 1, count, at, tail);
                System.arraycopy(owner, at + 1, owner, at, tail);
            }
        }
        size--;
        if (full) {
            owner[size] = null;
        }
    }

    /** Removes an ID if present; returns whether it was there. */
    public boolean remove(long m, long s) {
        int i = find(m, s);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** A copy; owners are left as they are (the caller remaps them). */
    StreamPel copy() {
        StreamPel p = new StreamPel(full);
        p.ms = ms.clone();
        p.seq = seq.clone();
        if (full) {
            p.time = time.clone();
            p.count = count.clone();
            p.owner = owner.clone();
        }
        p.size = size;
        return p;
    }
}
