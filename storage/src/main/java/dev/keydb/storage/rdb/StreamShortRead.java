package dev.keydb.storage.rdb;

import java.io.EOFException;

/**
 * The reads of a stream value after which Redis's rdbLoadObject checks for a short read and
 * reports it in its own words (rdbReportReadError) rather than as a plain unexpected EOF.
 * redis-check-rdb prints these as "Internal error in RDB reading offset 0, function at
 * rdb.c:LINE -> REASON"; the line numbers are those of Redis 7.0.15 (the version our files
 * claim), learnt by truncating a stream at every byte and asking its redis-check-rdb.
 */
enum StreamShortRead {
    NODE_COUNT(2327, "Stream listpacks len loading failed."),
    NODE_KEY(2338, "Stream master ID loading failed: invalid encoding or I/O error."),
    NODE_LISTPACK(2355, "Stream listpacks loading failed."),
    METADATA(2424, "Stream object metadata loading failed."),
    GROUP_COUNT(2438, "Stream cgroup count loading failed."),
    GROUP_NAME(2449, "Error reading the consumer group name from Stream"),
    GROUP_ID(2458, "Stream cgroup ID loading failed."),
    GROUP_OFFSET(2469, "Stream cgroup offset loading failed."),
    PEL_SIZE(2495, "Stream PEL size loading failed."),
    PEL_ID(2502, "Stream PEL ID loading failed."),
    PEL_NACK(2510, "Stream PEL NACK loading failed."),
    CONSUMER_COUNT(2527, "Stream consumers num loading failed."),
    CONSUMER_NAME(2534, "Error reading the consumer name from Stream group."),
    CONSUMER_SEEN(2549, "Stream short read reading seen time."),
    CONSUMER_PEL_SIZE(2558, "Stream consumer PEL num loading failed."),
    CONSUMER_PEL_ID(2566, "Stream short read reading PEL streamID.");

    private final int redisLine;
    private final String reason;

    StreamShortRead(int redisLine, String reason) {
        this.redisLine = redisLine;
        this.reason = reason;
    }

    /** redis-check-rdb's report of this short read. */
    String report() {
        return "Internal error in RDB reading offset 0, function at rdb.c:" + redisLine + " -> " + reason;
    }

    /** The end of input met during this read. */
    Failed failed() {
        return new Failed(this);
    }

    static final class Failed extends EOFException {
        private static final long serialVersionUID = 1L;
        final transient StreamShortRead read;

        Failed(StreamShortRead read) {
            super(read.reason);
            this.read = read;
        }
    }
}
