package dev.keydb.storage.rdb;

/** RDB format constants (Redis 7.0's rdb.h, and the types and opcodes Redis 7.2 and 7.4 added). */
public final class Rdb {
    private Rdb() {}

    /** The version this server writes: Redis 7.0's. */
    public static final int VERSION = 10;
    /** The newest version a file may have to be read: Redis 7.4's. */
    public static final int MAX_READ_VERSION = 12;

    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_MODULE_PRE_GA = 6;
    public static final int TYPE_MODULE_2 = 7;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;
    // Redis 7.2 (RDB 11)
    public static final int TYPE_SET_LISTPACK = 20;
    public static final int TYPE_STREAM_LISTPACKS_3 = 21;
    // Redis 7.4 (RDB 12): hashes with field expiry; PRE_GA ones carry absolute TTLs and no minimum
    public static final int TYPE_HASH_METADATA_PRE_GA = 22;
    public static final int TYPE_HASH_LISTPACK_EX_PRE_GA = 23;
    public static final int TYPE_HASH_METADATA = 24;
    public static final int TYPE_HASH_LISTPACK_EX = 25;
    /**
     * KeyDB's RDB_TYPE_CRON (a KEYDB.CRON job, rdb.cpp rdbSaveObject/rdbLoadObject): script
     * string, start and interval as 8-byte little-endian ms (rdbSaveMillisecondTime), then a
     * length and the keys, a length and the arguments, all as RDB strings. KeyDB saves neither
     * the SINGLE/REPEAT flag nor the database (its loader leaves them at repeat and db 0); here a
     * loaded job runs in the database it is loaded into, and is single-shot only when followed
     * by {@link #AUX_CRON_SINGLE}. KeyDB accepts it in DUMP/RESTORE payloads too. Redis does not
     * know it (its loader and redis-check-rdb reject the file).
     */
    public static final int TYPE_KEYDB_CRON = 64;
    /**
     * A KEYDB.NHSET nested hash. KeyDB has no RDB encoding for them (its save panics), so this
     * is this server's own type, read only by this server (neither Redis nor KeyDB loads a file
     * holding one): a length (the child count), then per child its name as an RDB string, a kind
     * byte ({@link #NESTED_STRING}, {@link #NESTED_LIST}, {@link #NESTED_HASH}) and the child: a
     * string; a length and that many strings; or another nested hash, recursively.
     */
    public static final int TYPE_KEYDB_JVM_NESTED_HASH = 65;
    public static final int NESTED_STRING = 0;
    public static final int NESTED_LIST = 1;
    public static final int NESTED_HASH = 2;

    public static final int OPCODE_SLOT_INFO = 244;
    public static final int OPCODE_FUNCTION2 = 245;
    public static final int OPCODE_FUNCTION_PRE_GA = 246;
    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;

    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    /** Module value serialization opcodes (RDB_MODULE_OPCODE_*). */
    static final int MODULE_OPCODE_EOF = 0;
    static final int MODULE_OPCODE_SINT = 1;
    static final int MODULE_OPCODE_UINT = 2;
    static final int MODULE_OPCODE_FLOAT = 3;
    static final int MODULE_OPCODE_DOUBLE = 4;
    static final int MODULE_OPCODE_STRING = 5;

    /** Stream entry flags (t_stream.c STREAM_ITEM_FLAG_*). */
    static final int STREAM_ITEM_FLAG_DELETED = 1;
    static final int STREAM_ITEM_FLAG_SAMEFIELDS = 2;

    /** KeyDB's aux fields: a member TTL of the key just read, as the member and then its unix ms. */
    public static final String AUX_SUBEXPIRE_KEY = "keydb-subexpire-key";
    public static final String AUX_SUBEXPIRE_WHEN = "keydb-subexpire-when";
    /** KeyDB's per-key MVCC timestamp (active replication), written before a key. */
    public static final String AUX_MVCC_TSTAMP = "mvcc-tstamp";
    /**
     * This server's aux field after a SINGLE cron job (value "1"), which KeyDB's format cannot
     * say; KeyDB and Redis ignore aux fields they do not know. A cron job is also followed by
     * KeyDB's subexpire pair (the key's own name, due at the job's next run), the expire KeyDB's
     * scheduler fires on, so that KeyDB runs a job it loads from our file.
     */
    public static final String AUX_CRON_SINGLE = "keydb-jvm-cron-single";

    /** quicklist node containers in LIST_QUICKLIST_2. */
    static final int QUICKLIST_NODE_PLAIN = 1;
    static final int QUICKLIST_NODE_PACKED = 2;
}
