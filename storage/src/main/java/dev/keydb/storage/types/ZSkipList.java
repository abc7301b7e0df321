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

    static final class Node {
        final byte[] ele;
        double score;
        Node backward;
        final Node[] forward;
        final int[] span;

        Node(int level, double score, byte[] ele) {
            this.ele = ele;
            this.score = score;
            this.forward = new Node[level];
            this.span = new int[level];
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
            while (x.forward[i] != null && before(x.forward[i].score, x.forward[i].ele, score, ele)) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span[i] = length;
            }
            level = lvl;
        }
        x = new Node(lvl, score, ele);
        for (int i = 0; i < lvl; i++) {
            x.forward[i] = update[i].forward[i];
            update[i].forward[i] = x;
            x.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.forward[0] != null) {
            x.forward[0].backward = x;
        } else {
            tail = x;
        }
        length++;
        return x;
    }

    private void deleteNode(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i] -= 1;
            }
        }
        if (x.forward[0] != null) {
            x.forward[0].backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
    }

    /** Deletes the element with this score and member; returns its stored member array, or null. */
    byte[] delete(double score, byte[] ele) {
        Node[] update = new Node[MAX_LEVEL];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && before(x.forward[i].score, x.forward[i].ele, score, ele)) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        x = x.forward[0];
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
            while (x.forward[i] != null && (x.forward[i].score < score
                    || (x.forward[i].score == score && compare(x.forward[i].ele, ele) <= 0))) {
                rank += x.span[i];
                x = x.forward[i];
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
            while (x.forward[i] != null && traversed + x.span[i] <= rank) {
                traversed += x.span[i];
                x = x.forward[i];
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
            while (x.forward[i] != null && (x.forward[i].score < s || (orEqual && x.forward[i].score == s))) {
                rank += x.span[i];
                x = x.forward[i];
            }
        }
        return rank;
    }

    /** Number of elements whose member sorts below {@code v} (or equal to it when {@code orEqual}). */
    long countLexLess(byte[] v, boolean orEqual) {
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null) {
                int c = compare(x.forward[i].ele, v);
                if (c < 0 || (orEqual && c == 0)) {
                    rank += x.span[i];
                    x = x.forward[i];
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
            while (x.forward[i] != null && traversed + x.span[i] < start) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        traversed++;
        x = x.forward[0];
        long n = 0;
        while (x != null && traversed <= end) {
            Node next = x.forward[0];
            deleteNode(x, update);
            removed.accept(x.ele);
            n++;
            traversed++;
            x = next;
        }
        return n;
    }
}
