package dev.keydb.storage.types;

import java.util.function.IntToLongFunction;

/**
 * The bytes of a value made of nodes (a list's listpacks, a stream's), cheap enough to take
 * after every write to it, as eviction's accounting does: up to 4 nodes are walked; more are
 * counted at an average taken from up to 16 evenly spaced ones (as Redis's MEMORY USAGE
 * samples), and that average is taken again only when a node came or went or the element count
 * moved by a sixteenth. A walk over a long value per write would cost more than the write.
 */
final class SampledNodeSize {
    /** Values of up to this many nodes are walked, and need no sampler (most lists are one node). */
    static final int WALKED = 4;

    /** The node and element counts the average was taken at (-1: never). */
    private int averagedAt = -1;
    private long averagedElements;
    private long averageNodeBytes;

    /** The nodes' bytes; {@code sampler} may be null while there are at most {@link #WALKED} nodes. */
    static long of(SampledNodeSize sampler, int nodes, long elements, IntToLongFunction nodeBytes) {
        if (nodes <= WALKED) {
            long total = 0;
            for (int i = 0; i < nodes; i++) {
                total += nodeBytes.applyAsLong(i);
            }
            return total;
        }
        return sampler.averaged(nodes, elements, nodeBytes);
    }

    private long averaged(int nodes, long elements, IntToLongFunction nodeBytes) {
        if (averagedAt != nodes || Math.abs(elements - averagedElements) * 16 > averagedElements) {
            int sampled = Math.min(nodes, 16);
            long bytes = 0;
            for (int k = 0; k < sampled; k++) {
                bytes += nodeBytes.applyAsLong((int) ((long) k * nodes / sampled));
            }
            averageNodeBytes = bytes / sampled;
            averagedAt = nodes;
            averagedElements = elements;
        }
        return averageNodeBytes * nodes;
    }
}
