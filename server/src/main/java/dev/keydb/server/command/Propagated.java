package dev.keydb.server.command;

import java.nio.charset.StandardCharsets;

/**
 * Command names and keywords of the deterministic forms commands propagate as (Redis's
 * shared.set, shared.pxat...). Never modified: propagated argv only read them.
 */
public final class Propagated {
    private Propagated() {}

    public static final byte[] SET = b("SET");
    public static final byte[] PXAT = b("PXAT");
    public static final byte[] KEEPTTL = b("KEEPTTL");
    public static final byte[] DEL = b("DEL");
    public static final byte[] UNLINK = b("UNLINK");
    public static final byte[] PEXPIREAT = b("PEXPIREAT");
    public static final byte[] PERSIST = b("PERSIST");
    public static final byte[] HSET = b("HSET");
    public static final byte[] SREM = b("SREM");
    public static final byte[] LPOP = b("LPOP");
    public static final byte[] RPOP = b("RPOP");
    public static final byte[] LMOVE = b("LMOVE");
    public static final byte[] RPOPLPUSH = b("RPOPLPUSH");
    public static final byte[] ZPOPMIN = b("ZPOPMIN");
    public static final byte[] ZPOPMAX = b("ZPOPMAX");
    public static final byte[] ABSTTL = b("ABSTTL");
    public static final byte[] PEXPIREMEMBERAT = b("PEXPIREMEMBERAT");

    /** What a key deleted because its new expiry is already past propagates as: UNLINK with lazyfree-lazy-expire, else DEL. */
    public static byte[] expiredDelete(CommandContext c) {
        return c.server().config().lazyfreeLazyExpire ? UNLINK : DEL;
    }

    /** What a key a command removed whole propagates as (SPOP of everything, RESTORE past its TTL): UNLINK with lazyfree-lazy-server-del. */
    public static byte[] serverDelete(CommandContext c) {
        return c.server().config().lazyfreeLazyServerDel ? UNLINK : DEL;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
