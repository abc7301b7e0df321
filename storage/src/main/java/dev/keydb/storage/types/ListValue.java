package dev.keydb.storage.types;

import dev.keydb.storage.AccountedValue;
import dev.keydb.storage.ValueType;
import java.util.Arrays;

/**
 * A list value: Redis's quicklist. The elements live in a deque of {@link ListNode}s, each a
 * packed {@code byte[]} in listpack layout (no object per element: an element of fewer than
 * 128 bytes costs its length plus two bytes). A list that fits in one node is the compact
 * form — one packed array, Redis's listpack — and grows into several nodes past the node
 * limit, which is {@code list-max-listpack-size} as Redis reads it:
 * <ul>
 *   <li>negative: a byte budget per node, -1..-5 = 4, 8, 16, 32, 64 KB (default -2, 8 KB);</li>
 *   <li>positive: an entry count per node, with an 8 KB safety cap on the node's size.</li>
 * </ul>
 * Push and pop at both ends are amortised O(1); access by index is O(nodes + node size)
 * from the nearer end. Interior nodes are kept without free space ("sealed").
 *
 * <p>OBJECT ENCODING answers "quicklist" for every list, as Redis 7.0 does (7.0 has no
 * listpack-encoded lists; that arrived in 7.2). Nodes are never compressed
 * ({@code list-compress-depth} 0).
 */
public final class ListValue extends AccountedValue implements ValueType.Typed {
    public static final int DEFAULT_FILL = -2;
    /** Byte budgets for fill -1..-5 (quicklist.c optimization_level). */
    private static final int[] SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    /** Size cap of a node when the fill is a count (quicklist.c SIZE_SAFETY_LIMIT). */
    private static final int SAFETY_LIMIT = 8192;
    /** quicklist.c FILL_MAX. */
    private static final int FILL_MAX = (1 << 15) - 1;
    /** Listpack header and terminator, counted so node sizes track Redis's. */
    private static final int NODE_OVERHEAD = 7;

    private final int fill;
    private ListNode[] nodes;
    private int head;
    private int nodeCount;
    private long size;

    /** Receives elements without copying: {@code buf[off, off+len)}. */
    @FunctionalInterface
    public interface ElementVisitor {
        void accept(byte[] buf, int off, int len);
    }

    /** Receives the index of each match of a scan; returns false to stop the scan. */
    @FunctionalInterface
    public interface MatchVisitor {
        boolean match(long index);
    }

    public ListValue() {
        this(DEFAULT_FILL);
    }

    /** An empty list whose nodes follow {@code fill} (list-max-listpack-size), clamped as Redis. */
    public ListValue(int fill) {
        this.fill = fill > FILL_MAX ? FILL_MAX : Math.max(fill, -SIZE_LIMITS.length);
        this.nodes = new ListNode[1];
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int fill() {
        return fill;
    }

    /** Number of nodes: 0 or 1 for the compact (single packed array) form. */
    public int nodeCount() {
        return nodeCount;
    }

    /** Whether the list is held in a single packed array (Redis's listpack form). */
    public boolean isCompact() {
        return nodeCount <= 1;
    }

    /** Approximate heap bytes of this value: the object, the node deque and its nodes (see {@link SampledNodeSize}). */
    public long memoryUsage() {
        if (nodeCount > SampledNodeSize.WALKED && nodeSizes == null) {
            nodeSizes = new SampledNodeSize();
        }
        return 40 + 16 + 4L * nodes.length + SampledNodeSize.of(nodeSizes, nodeCount, size, i -> nodeBytes(node(i)));
    }

    private SampledNodeSize nodeSizes;

    private static long nodeBytes(ListNode n) {
        return 32 + 16 + ((n.buf.length + 7) & ~7);
    }

    // ---- node deque -----------------------------------------------------------------------

    private ListNode node(int i) {
        return nodes[(head + i) & (nodes.length - 1)];
    }

    private void growRing() {
        if (nodeCount < nodes.length) {
            return;
        }
        ListNode[] n = new ListNode[nodes.length * 2];
        for (int i = 0; i < nodeCount; i++) {
            n[i] = node(i);
        }
        nodes = n;
        head = 0;
    }

    private void shrinkRing() {
        if (nodeCount == 0) {
            nodes = new ListNode[1];
            head = 0;
            return;
        }
        if (nodes.length > 4 && nodeCount * 4 <= nodes.length) {
            int cap = Integer.highestOneBit(nodeCount * 2 - 1) << 1;
            ListNode[] n = new ListNode[Math.max(cap, 1)];
            for (int i = 0; i < nodeCount; i++) {
                n[i] = node(i);
            }
            nodes = n;
            head = 0;
        }
    }

    private void addFirstNode(ListNode n) {
        growRing();
        head = (head - 1) & (nodes.length - 1);
        nodes[head] = n;
        nodeCount++;
    }

    private void addLastNode(ListNode n) {
        growRing();
        nodes[(head + nodeCount) & (nodes.length - 1)] = n;
        nodeCount++;
    }

    /** Inserts a node so that it becomes node {@code i}. */
    private void insertNode(int i, ListNode n) {
        growRing();
        int mask = nodes.length - 1;
        for (int k = nodeCount; k > i; k--) {
            nodes[(head + k) & mask] = nodes[(head + k - 1) & mask];
        }
        nodes[(head + i) & mask] = n;
        nodeCount++;
    }

    private void removeNode(int i) {
        int mask = nodes.length - 1;
        if (i == 0) {
            nodes[head] = null;
            head = (head + 1) & mask;
        } else {
            for (int k = i; k < nodeCount - 1; k++) {
                nodes[(head + k) & mask] = nodes[(head + k + 1) & mask];
            }
            nodes[(head + nodeCount - 1) & mask] = null;
        }
        nodeCount--;
    }

    // ---- node limits ----------------------------------------------------------------------

    /** Whether {@code n} may take {@code addBytes} more bytes in {@code addCount} entries. */
    private boolean fits(ListNode n, long addBytes, int addCount) {
        long newSize = (long) n.bytes() + addBytes + NODE_OVERHEAD;
        if (fill < 0) {
            return newSize <= SIZE_LIMITS[-fill - 1];
        }
        return newSize <= SAFETY_LIMIT && n.count + addCount <= fill;
    }

    private boolean overLimit(ListNode n) {
        return n.count > 1 && !fits(n, 0, 0);
    }

    /** Splits node {@code i} in two (by bytes, or by count for a count fill) while it is over the limit. */
    private void splitIfNeeded(int i) {
        ListNode n = node(i);
        if (!overLimit(n)) {
            return;
        }
        boolean byCount = fill >= 0 && n.bytes() + NODE_OVERHEAD <= SAFETY_LIMIT;
        int half = n.bytes() / 2;
        int target = n.count / 2;
        int p = n.start;
        int kept = 0;
        while (kept < n.count - 1 && (kept == 0 || (byCount ? kept < target : p - n.start < half))) {
            p = n.next(p);
            kept++;
        }
        ListNode tail = n.splitAt(p, n.count - kept);
        insertNode(i + 1, tail);
        splitIfNeeded(i + 1);
        splitIfNeeded(i);
    }

    // ---- push / pop -----------------------------------------------------------------------

    public void pushHead(byte[] v) {
        int es = ListNode.entrySize(v.length);
        ListNode n = nodeCount == 0 ? null : node(0);
        if (n == null || !fits(n, es, 1)) {
            if (n != null) {
                n.seal();
            }
            n = new ListNode(es + 16, true);
            addFirstNode(n);
        }
        n.insert(n.start, v, 0, v.length);
        size++;
    }

    public void pushTail(byte[] v) {
        int es = ListNode.entrySize(v.length);
        ListNode n = nodeCount == 0 ? null : node(nodeCount - 1);
        if (n == null || !fits(n, es, 1)) {
            if (n != null) {
                n.seal();
            }
            n = new ListNode(es + 16, false);
            addLastNode(n);
        }
        n.insert(n.end, v, 0, v.length);
        size++;
    }

    public void push(byte[] v, boolean head) {
        if (head) {
            pushHead(v);
        } else {
            pushTail(v);
        }
    }

    /** Removes and returns the first element, or null when empty. */
    public byte[] popHead() {
        if (size == 0) {
            return null;
        }
        ListNode n = node(0);
        byte[] v = n.copyAt(n.start);
        n.delete(n.start);
        if (n.count == 0) {
            removeNode(0);
            shrinkRing();
        }
        size--;
        return v;
    }

    /** Removes and returns the last element, or null when empty. */
    public byte[] popTail() {
        if (size == 0) {
            return null;
        }
        ListNode n = node(nodeCount - 1);
        int p = n.prev(n.end);
        byte[] v = n.copyAt(p);
        n.delete(p);
        if (n.count == 0) {
            removeNode(nodeCount - 1);
            shrinkRing();
        }
        size--;
        return v;
    }

    public byte[] pop(boolean head) {
        return head ? popHead() : popTail();
    }

    /** Removes the first {@code n} elements (all of them if {@code n >= size}). */
    public void removeHead(long n) {
        if (n >= size) {
            clear();
            return;
        }
        long left = n;
        while (left > 0) {
            ListNode first = node(0);
            if (first.count <= left) {
                left -= first.count;
                removeNode(0);
                continue;
            }
            int p = first.start;
            for (long k = 0; k < left; k++) {
                p = first.next(p);
            }
            first.deleteRange(first.start, p, (int) left);
            left = 0;
        }
        size -= n;
        shrinkRing();
    }

    /** Removes the last {@code n} elements (all of them if {@code n >= size}). */
    public void removeTail(long n) {
        if (n >= size) {
            clear();
            return;
        }
        long left = n;
        while (left > 0) {
            ListNode last = node(nodeCount - 1);
            if (last.count <= left) {
                left -= last.count;
                removeNode(nodeCount - 1);
                continue;
            }
            int p = last.end;
            for (long k = 0; k < left; k++) {
                p = last.prev(p);
            }
            last.deleteRange(p, last.end, (int) left);
            left = 0;
        }
        size -= n;
        shrinkRing();
    }

    public void clear() {
        nodes = new ListNode[1];
        head = 0;
        nodeCount = 0;
        size = 0;
    }

    // ---- positional access ----------------------------------------------------------------

    /** Node index and byte position of element {@code index} (0 &lt;= index &lt; size), packed. */
    private long locate(long index) {
        int ni;
        long base;
        if (index < size / 2) {
            ni = 0;
            base = 0;
            while (base + node(ni).count <= index) {
                base += node(ni).count;
                ni++;
            }
        } else {
            ni = nodeCount - 1;
            base = size - node(ni).count;
            while (base > index) {
                ni--;
                base -= node(ni).count;
            }
        }
        ListNode n = node(ni);
        int k = (int) (index - base);
        int p;
        if (k < n.count / 2) {
            p = n.start;
            for (int i = 0; i < k; i++) {
                p = n.next(p);
            }
        } else {
            p = n.end;
            for (int i = n.count; i > k; i--) {
                p = n.prev(p);
            }
        }
        return ((long) ni << 32) | (p & 0xffffffffL);
    }

    /** Element at {@code index}; negative indexes count from the tail (-1 is the last). Null if out of range. */
    public byte[] get(long index) {
        if (index < 0) {
            index += size;
        }
        if (index < 0 || index >= size) {
            return null;
        }
        long loc = locate(index);
        return node((int) (loc >>> 32)).copyAt((int) loc);
    }

    /** Replaces the element at {@code index} (negative from the tail); false if out of range. */
    public boolean set(long index, byte[] v) {
        if (index < 0) {
            index += size;
        }
        if (index < 0 || index >= size) {
            return false;
        }
        long loc = locate(index);
        int ni = (int) (loc >>> 32);
        node(ni).replace((int) loc, v);
        splitIfNeeded(ni);
        return true;
    }

    /**
     * Inserts {@code v} before or after the first element equal to {@code pivot} (from the head).
     * Returns false when no element equals the pivot.
     */
    public boolean insert(byte[] pivot, byte[] v, boolean after) {
        for (int ni = 0; ni < nodeCount; ni++) {
            ListNode n = node(ni);
            for (int p = n.start; p < n.end; p = n.next(p)) {
                if (n.equalsAt(p, pivot)) {
                    n.insert(after ? n.next(p) : p, v, 0, v.length);
                    size++;
                    splitIfNeeded(ni);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * LREM: removes elements equal to {@code v}; {@code count} &gt; 0 removes up to count from the
     * head, &lt; 0 up to -count from the tail, 0 all of them. Returns how many were removed.
     */
    public long remove(byte[] v, long count) {
        long removed = 0;
        if (count >= 0) {
            long limit = count == 0 ? Long.MAX_VALUE : count;
            for (int ni = 0; ni < nodeCount && removed < limit; ) {
                ListNode n = node(ni);
                int p = n.start;
                while (p < n.end && removed < limit) {
                    if (n.equalsAt(p, v)) {
                        p = n.delete(p);
                        removed++;
                    } else {
                        p = n.next(p);
                    }
                }
                if (n.count == 0) {
                    removeNode(ni);
                } else {
                    ni++;
                }
            }
        } else {
            // -Long.MIN_VALUE overflows; Redis then removes every match, as for 0.
            long limit = count == Long.MIN_VALUE ? Long.MAX_VALUE : -count;
            for (int ni = nodeCount - 1; ni >= 0 && removed < limit; ni--) {
                ListNode n = node(ni);
                int q = n.end;
                while (q > n.start && removed < limit) {
                    int p = n.prev(q);
                    if (n.equalsAt(p, v)) {
                        q = n.delete(p);
                        removed++;
                    } else {
                        q = p;
                    }
                }
                if (n.count == 0) {
                    removeNode(ni);
                }
            }
        }
        if (removed > 0) {
            size -= removed;
            mergeSmallNodes();
            shrinkRing();
        }
        return removed;
    }

    /** Joins neighbouring nodes that fit together, after deletions left them small. */
    private void mergeSmallNodes() {
        int i = 0;
        while (i < nodeCount - 1) {
            ListNode a = node(i);
            ListNode b = node(i + 1);
            if (fits(a, b.bytes(), b.count)) {
                a.appendAll(b);
                removeNode(i + 1);
            } else {
                if (i > 0) {
                    a.seal();
                }
                i++;
            }
        }
    }

    /** LTRIM: drops {@code removeFromHead} elements at the head and {@code removeFromTail} at the tail. */
    public void trim(long removeFromHead, long removeFromTail) {
        if (removeFromHead > 0) {
            removeHead(removeFromHead);
        }
        if (removeFromTail > 0) {
            removeTail(removeFromTail);
        }
    }

    // ---- iteration ------------------------------------------------------------------------

    /**
     * Visits {@code n} elements starting at index {@code from} (0 &lt;= from &lt; size), towards
     * the tail, or towards the head when {@code reverse}.
     */
    public void forEach(long from, long n, boolean reverse, ElementVisitor v) {
        if (n <= 0) {
            return;
        }
        long loc = locate(from);
        int ni = (int) (loc >>> 32);
        int p = (int) loc;
        ListNode node = node(ni);
        long left = n;
        if (!reverse) {
            while (true) {
                int len = node.lenAt(p);
                v.accept(node.buf, ListNode.dataAt(p, len), len);
                if (--left == 0) {
                    return;
                }
                p += ListNode.entrySize(len);
                if (p >= node.end) {
                    node = node(++ni);
                    p = node.start;
                }
            }
        }
        int q = p + ListNode.entrySize(node.lenAt(p));   // end of the current entry
        while (true) {
            int len = node.lenBefore(q);
            q -= ListNode.entrySize(len);
            v.accept(node.buf, ListNode.dataAt(q, len), len);
            if (--left == 0) {
                return;
            }
            if (q <= node.start) {
                node = node(--ni);
                q = node.end;
            }
        }
    }

    /** Visits every element from head to tail. */
    public void forEach(ElementVisitor v) {
        if (size > 0) {
            forEach(0, size, false, v);
        }
    }

    /**
     * Scans for elements equal to {@code ele} from the head (or from the tail when
     * {@code fromTail}), examining at most {@code maxlen} elements (0: no limit), and reports
     * the index of each match until the visitor returns false.
     */
    public void scan(byte[] ele, boolean fromTail, long maxlen, MatchVisitor visitor) {
        long examined = 0;
        if (!fromTail) {
            long index = 0;
            for (int ni = 0; ni < nodeCount; ni++) {
                ListNode n = node(ni);
                for (int p = n.start; p < n.end; p = n.next(p)) {
                    if (maxlen != 0 && examined >= maxlen) {
                        return;
                    }
                    examined++;
                    if (n.equalsAt(p, ele) && !visitor.match(index)) {
                        return;
                    }
                    index++;
                }
            }
        } else {
            long index = size - 1;
            for (int ni = nodeCount - 1; ni >= 0; ni--) {
                ListNode n = node(ni);
                for (int q = n.end; q > n.start; ) {
                    q = n.prev(q);
                    if (maxlen != 0 && examined >= maxlen) {
                        return;
                    }
                    examined++;
                    if (n.equalsAt(q, ele) && !visitor.match(index)) {
                        return;
                    }
                    index--;
                }
            }
        }
    }

    /** A deep copy with the same node limit. */
    public ListValue copy() {
        ListValue c = new ListValue(fill);
        int cap = 1;
        while (cap < nodeCount) {
            cap <<= 1;
        }
        c.nodes = new ListNode[cap];
        for (int i = 0; i < nodeCount; i++) {
            c.nodes[i] = node(i).copy();
        }
        c.nodeCount = nodeCount;
        c.size = size;
        return c;
    }

    /** The elements, head first (tests, debugging). */
    public byte[][] toArray() {
        byte[][] out = new byte[(int) size][];
        int[] i = {0};
        forEach((b, off, len) -> out[i[0]++] = Arrays.copyOfRange(b, off, off + len));
        return out;
    }

    /** Checks the internal invariants; throws IllegalStateException if one is broken (tests). */
    public void verify() {
        long total = 0;
        for (int i = 0; i < nodeCount; i++) {
            ListNode n = node(i);
            if (n == null || n.count <= 0) {
                throw new IllegalStateException("empty or missing node " + i);
            }
            int c = 0;
            int p = n.start;
            while (p < n.end) {
                int len = n.lenAt(p);
                int q = p + ListNode.entrySize(len);
                if (n.lenBefore(q) != len) {
                    throw new IllegalStateException("trailer mismatch in node " + i);
                }
                p = q;
                c++;
            }
            if (p != n.end || c != n.count) {
                throw new IllegalStateException("node " + i + " count " + n.count + " but walked " + c);
            }
            if (overLimit(n)) {
                throw new IllegalStateException("node " + i + " over the limit");
            }
            total += c;
        }
        if (total != size) {
            throw new IllegalStateException("size " + size + " but nodes hold " + total);
        }
    }
}
