package dev.keydb.server;

/**
 * A per-command latency histogram with the bucket layout of the HdrHistogram Redis 7.0 uses
 * (lowest 1 ns, highest 1 s, 2 significant figures): 256 linear sub-buckets below 256 ns, then
 * for each power of two 128 sub-buckets of width 2^k. So percentiles (INFO latencystats) and
 * the cumulative power-of-two buckets of LATENCY HISTOGRAM come out as Redis computes them.
 * Octaves are allocated on first use: a command whose calls all take 1-20 µs holds about six
 * arrays of 128 counters, not the 3,000 of a full histogram. Updated under the keyspace lock.
 */
public final class LatencyHistogram {
    static final long MIN_NS = 1;
    static final long MAX_NS = 1_000_000_000L;
    private static final int SUB_BUCKETS = 256;
    private static final int HALF = 128;
    /** Buckets needed to cover MAX_NS: bucket b holds [128 << b, 256 << b). */
    private static final int BUCKETS = 64 - Long.numberOfLeadingZeros(MAX_NS) - 7;

    private final long[][] counts = new long[BUCKETS][];
    private long total;

    /** Records one call of {@code nanos} (clamped into [1 ns, 1 s] as Redis's updateCommandLatencyHistogram). */
    public void record(long nanos) {
        long v = Math.max(MIN_NS, Math.min(MAX_NS, nanos));
        int b = bucket(v);
        long[] c = counts[b];
        if (c == null) {
            c = counts[b] = new long[b == 0 ? SUB_BUCKETS : HALF];
        }
        c[subIndex(b, v)]++;
        total++;
    }

    public long totalCount() {
        return total;
    }

    private static int bucket(long v) {
        int pow2ceiling = 64 - Long.numberOfLeadingZeros(v | (SUB_BUCKETS - 1));
        return pow2ceiling - 8;
    }

    private static int subIndex(int b, long v) {
        int sub = (int) (v >>> b);
        return b == 0 ? sub : sub - HALF;
    }

    /** Highest value equivalent to {@code v} at this precision (hdr_highest_equivalent_value). */
    static long highestEquivalent(long v) {
        int b = bucket(v);
        long lowest = (v >>> b) << b;
        return lowest + (1L << b) - 1;
    }

    /** hdr_value_at_percentile: the highest equivalent value below which {@code percentile}% of the calls fall, in ns. */
    public long valueAtPercentile(double percentile) {
        double p = Math.min(percentile, 100.0);
        long countAt = Math.max(1, (long) ((p / 100) * total + 0.5));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            long[] c = counts[b];
            if (c == null) {
                continue;
            }
            for (int i = 0; i < c.length; i++) {
                seen += c[i];
                if (seen >= countAt) {
                    long lowest = (long) (b == 0 ? i : i + HALF) << b;
                    return percentile == 0.0 ? lowest : lowest + (1L << b) - 1;
                }
            }
        }
        return 0;
    }

    /** Cumulative count of calls at or below {@code v} ns (at this precision). */
    private long countAtOrBelow(long v) {
        int vb = bucket(v);
        int vi = subIndex(vb, v);
        long seen = 0;
        for (int b = 0; b <= vb; b++) {
            long[] c = counts[b];
            if (c == null) {
                continue;
            }
            int last = b == vb ? vi : c.length - 1;
            for (int i = 0; i <= last; i++) {
                seen += c[i];
            }
        }
        return seen;
    }

    /** Receives one bucket of the cumulative distribution. */
    @FunctionalInterface
    public interface BucketVisitor {
        void bucket(long micros, long cumulativeCount);
    }

    /**
     * Redis's fillCommandCDF: a logarithmic iteration from 1024 ns doubling each step, reporting
     * (highest equivalent value in µs, cumulative count) wherever the cumulative count grew,
     * until every call is counted.
     */
    public void forEachCumulativeBucket(BucketVisitor visitor) {
        long previous = 0;
        for (long level = 1024; previous < total; level *= 2) {
            long cumulative = countAtOrBelow(level);
            if (cumulative > previous) {
                visitor.bucket(highestEquivalent(level) / 1000, cumulative);
            }
            previous = cumulative;
            if (level > MAX_NS * 2) {
                break;
            }
        }
    }
}
