package dev.keydb.storage.types;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's zskiplist: elements ordered by (score, member bytes), each level link carrying the
 * number of level-0 steps it spans, so rank lookups and rank-to-node walks are O(log n).
 * Ranks in this class are 1-based as in t_zset.c; {@link ZSetValue} exposes 0-based ranks.
 */
final class ZSkipList {
    static final int MAX_LEVEL = 32;
    private static final int P_THRESHOLD = (int) (0.25 * 0xFFFF);

    /**
     * A node. Level 0 (which three in four nodes have alone) lives in fields; its span is
     * always 1, so only the upper levels carry arrays.
     */
    static final class Node {
        final byte[] ele;
        double score;
        Node backward;
        Node next;
        private final Node[] up;
        private final int[] upSpan;

        Node(int level, double score, byte[] ele) {
            this.ele = ele;
            this.score = score;
            this.up = level > 1 ? new Node[level - 1] : null;
            this.upSpan = level > 1 ? new int[level - 1] : null;
        }

        Node fwd(int i) {
            return i == 0 ? next : up[i - 1];
        }

        void fwd(int i, Node n) {
            if (i == 0) {
                next = n;
            } else {
                up[i - 1] = n;
            }
        }

        int span(int i) {
            return i == 0 ? 1 : upSpan[i - 1];
        }

        void span(int i, int s) {
            if (i != 0) {
                upSpan[i - 1] = s;
            }
        }
    }

    final Node header = new Node(MAX_LEVEL, 0, null);
    Node tail;
    int length;
    int level = 1;

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** Whether (s1, e1) sorts before (s2, e2). */
    private static boolean before(double s1, byte[] e1, double s2, byte[] e2) {
        return s1 < s2 || (s1 == s2 && compare(e1, e2) < 0);
    }

    private static int randomLevel() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int level = 1;
        while ((rnd.nextInt() & 0xFFFF) < P_THRESHOLD && level < MAX_LEVEL) {
            level++;
        }
        return level;
    }

    /** Inserts a new element (the caller guarantees it is absent). */
    Node insert(double score, byte[] ele) {
        Node[] update = new Node[MAX_LEVEL];
        int[] rank = new int[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.fwd(i) != null && before(x.fwd(i).score, x.fwd(i).ele, score, ele)) {
                rank[i] += x.span(i);
                x = x.fwd(i);
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span(i, length);
            }
            level = lvl;
        }
        x = new Node(lvl, score, ele);
        for (int i = 0; i < lvl; i++) {
            x.fwd(i, update[i].fwd(i));
            update[i].fwd(i, x);
            x.span(i, update[i].span(i) - (rank[0] - rank[i]));
            update[i].span(i, (rank[0] - rank[i]) + 1);
        }
        for (int i = lvl; i < level; i++) {
            update[i].span(i, update[i].span(i) + 1);
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.fwd(0) != null) {
            x.fwd(0).backward = x;
        } else {
            tail = x;
        }
        length++;
        return x;
    }

    private void deleteNode(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].fwd(i) == x) {
                update[i].span(i, update[i].span(i) + x.span(i) - 1);
                update[i].fwd(i, x.fwd(i));
            } else {
                update[i].span(i, update[i].span(i) - (1));
            }
        }
        if (x.fwd(0) != null) {
            x.fwd(0).backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.fwd(level - 1) == null) {
            level--;
        }
        length--;
    }

    /** Deletes the element with this score and member; returns its stored member array, or null. */
    byte[] delete(double score, byte[] ele) {
        Node[] update = new Node[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.fwd(i) != null && before(x.fwd(i).score, x.fwd(i).ele, score, ele)) {
                x = x.fwd(i);
            }
            update[i] = x;
        }
        x = x.fwd(0);
        if (x != null && x.score == score && Arrays.equals(x.ele, ele)) {
            deleteNode(x, update);
            return x.ele;
        }
        return null;
    }

    /** 1-based rank of the element, 0 when absent. */
    long rank(double score, byte[] ele) {
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.fwd(i) != null && (x.fwd(i).score < score
                    || (x.fwd(i).score == score && compare(x.fwd(i).ele, ele) <= 0))) {
                rank += x.span(i);
                x = x.fwd(i);
            }
            if (x.ele != null && x.score == score && Arrays.equals(x.ele, ele)) {
                return rank;
            }
        }
        return 0;
    }

    /** The node at a 1-based rank, or null. */
    Node byRank(long rank) {
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.fwd(i) != null && traversed + x.span(i) <= rank) {
                traversed += x.span(i);
                x = x.fwd(i);
            }
            if (traversed == rank) {
                return x;
            }
        }
        return null;
    }

    /** Number of elements whose score is below {@code s} (or equal to it when {@code orEqual}). */
    long countScoreLess(double s, boolean orEqual) {
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.fwd(i) != null && (x.fwd(i).score < s || (orEqual && x.fwd(i).score == s))) {
                rank += x.span(i);
                x = x.fwd(i);
            }
        }
        return rank;
    }

    /** Number of elements whose member sorts below {@code v} (or equal to it when {@code orEqual}). */
    long countLexLess(byte[] v, boolean orEqual) {
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.fwd(i) != null) {
                int c = compare(x.fwd(i).ele, v);
                if (c < 0 || (orEqual && c == 0)) {
                    rank += x.span(i);
                    x = x.fwd(i);
                } else {
                    break;
                }
            }
        }
        return rank;
    }

    /**
     * Deletes the elements of 1-based ranks [start, end], handing each removed member to
     * {@code removed}; returns the count.
     */
    long deleteRangeByRank(long start, long end, java.util.function.Consumer<byte[]> removed) {
        Node[] update = new Node[MAX_LEVEL];
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.fwd(i) != null && traversed + x.span(i) < start) {
                traversed += x.span(i);
                x = x.fwd(i);
            }
            update[i] = x;
        }
        traversed++;
        x = x.fwd(0);
        long n = 0;
        while (x != null && traversed <= end) {
            Node next = x.fwd(0);
            deleteNode(x, update);
            removed.accept(x.ele);
            n++;
            traversed++;
            x = next;
        }
        return n;
    }
}
