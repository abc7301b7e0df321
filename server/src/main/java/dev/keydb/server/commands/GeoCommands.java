package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.DENYOOM;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandFlag.WRITE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.KeyspaceEvents;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Numbers;
import dev.keydb.storage.geo.GeoHash;
import dev.keydb.storage.geo.GeoSearch;
import dev.keydb.storage.types.ZSetValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The geo commands (Redis 7.0's geo.c). A geo index is a sorted set whose scores are 52-bit
 * geohashes ({@link GeoHash}); searches are {@link GeoSearch}. Replies format numbers as
 * Redis: distances with C's {@code "%.4f"}, coordinates with {@code "%.17Lf"} minus trailing
 * zeros (addReplyHumanLongDouble; a RESP3 double).
 */
public final class GeoCommands implements CommandFamily {
    private static final CommandError UNIT = new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
    private static final CommandError NOT_DECODE = new CommandError("ERR could not decode requested zset member");

    // georadiusGeneric flags
    private static final int RADIUS_COORDS = 1;
    private static final int RADIUS_MEMBER = 1 << 1;
    private static final int RADIUS_NOSTORE = 1 << 2;
    private static final int GEOSEARCH = 1 << 3;
    private static final int GEOSEARCHSTORE = 1 << 4;

    private enum Sort { NONE, ASC, DESC }

    @Override
    public void register(CommandTable t) {
        String g = "geo";
        String radiusCx = "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";
        String searchCx = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";
        t.add(command("geoadd", -5).flags(WRITE, DENYOOM).keys(1, 1, 1).acl(g).group(g)
                .doc("3.2.0", "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
                        "Add one or more geospatial items in the geospatial index represented using a sorted set")
                .run(this::geoadd));
        t.add(command("geodist", -4).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("3.2.0", "O(log(N))", "Returns the distance between two members of a geospatial index")
                .run(this::geodist));
        t.add(command("geohash", -2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("3.2.0", "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
                        "Returns members of a geospatial index as standard geohash strings")
                .run(this::geohash));
        t.add(command("geopos", -2).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("3.2.0", "O(N) where N is the number of members requested.",
                        "Returns longitude and latitude of members of a geospatial index")
                .run(this::geopos));
        t.add(command("georadius", -6).flags(WRITE, DENYOOM).keys(1, 1, 1).movableKeys(a -> radiusKeys(a, 6)).acl(g).group(g)
                .doc("3.2.0", radiusCx,
                        "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point")
                .run(c -> georadius(c, 1, RADIUS_COORDS)));
        t.add(command("georadius_ro", -6).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("3.2.10", radiusCx, "A read-only variant for GEORADIUS")
                .run(c -> georadius(c, 1, RADIUS_COORDS | RADIUS_NOSTORE)));
        t.add(command("georadiusbymember", -5).flags(WRITE, DENYOOM).keys(1, 1, 1).movableKeys(a -> radiusKeys(a, 5)).acl(g).group(g)
                .doc("3.2.0", radiusCx,
                        "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member")
                .run(c -> georadius(c, 1, RADIUS_MEMBER)));
        t.add(command("georadiusbymember_ro", -5).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("3.2.10", radiusCx, "A read-only variant for GEORADIUSBYMEMBER")
                .run(c -> georadius(c, 1, RADIUS_MEMBER | RADIUS_NOSTORE)));
        t.add(command("geosearch", -7).flags(READONLY).keys(1, 1, 1).acl(g).group(g)
                .doc("6.2.0", searchCx,
                        "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.")
                .run(c -> georadius(c, 1, GEOSEARCH)));
        t.add(command("geosearchstore", -8).flags(WRITE, DENYOOM).keys(1, 2, 1).acl(g).group(g)
                .doc("6.2.0", searchCx,
                        "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.")
                .run(c -> georadius(c, 2, GEOSEARCH | GEOSEARCHSTORE)));
    }

    /**
     * GEORADIUS[BYMEMBER] key positions, as Redis 7.0's key specs: the source key, then the key
     * after the first STORE and the first STOREDIST keyword searched from {@code startFrom}.
     */
    private static int[] radiusKeys(byte[][] argv, int startFrom) {
        int store = keywordKey(argv, startFrom, "store");
        int storeDist = keywordKey(argv, startFrom, "storedist");
        int[] out = new int[1 + (store > 0 ? 1 : 0) + (storeDist > 0 ? 1 : 0)];
        int n = 0;
        out[n++] = 1;
        if (store > 0) {
            out[n++] = store;
        }
        if (storeDist > 0) {
            out[n++] = storeDist;
        }
        return out;
    }

    private static int keywordKey(byte[][] argv, int startFrom, String keyword) {
        for (int i = startFrom; i < argv.length - 1; i++) {
            if (new String(argv[i], StandardCharsets.US_ASCII).equalsIgnoreCase(keyword)) {
                return i + 1;
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- helpers

    private static ZSetValue zset(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof ZSetValue z) {
            return z;
        }
        throw CommandError.WRONGTYPE;
    }

    /** getDoubleFromObjectOrReply: a float argument, with Redis's default or a custom error. */
    private static double doubleArg(CommandContext c, int i, String error) {
        Double v = Numbers.parseDoubleOrNull(c.arg(i));
        if (v == null) {
            throw error == null ? CommandError.NOT_FLOAT : new CommandError("ERR " + error);
        }
        return v;
    }

    /** extractLongLatOrReply: a longitude and latitude pair at {@code i}, {@code i + 1}. */
    private static double[] lonLat(CommandContext c, int i) {
        double x = doubleArg(c, i, null);
        double y = doubleArg(c, i + 1, null);
        if (x < GeoHash.LONG_MIN || x > GeoHash.LONG_MAX || y < GeoHash.LAT_MIN || y > GeoHash.LAT_MAX) {
            throw new CommandError("ERR invalid longitude,latitude pair " + fixed(x, 6) + "," + fixed(y, 6));
        }
        return new double[] {x, y};
    }

    /** extractUnitOrReply: meters per unit. */
    private static double unit(CommandContext c, int i) {
        if (c.argIs(i, "m")) {
            return 1;
        } else if (c.argIs(i, "km")) {
            return 1000;
        } else if (c.argIs(i, "ft")) {
            return 0.3048;
        } else if (c.argIs(i, "mi")) {
            return 1609.34;
        }
        throw UNIT;
    }

    /** The position of a member, or null when absent (longLatFromMember). */
    private static double[] memberPos(ZSetValue z, byte[] member) {
        double score = z.score(member);
        if (Double.isNaN(score)) {
            return null;
        }
        double[] xy = new double[2];
        GeoHash.decodeScore(score, xy);
        return xy;
    }

    /**
     * C's {@code printf("%.<decimals>f", d)} as glibc prints it: the exact binary value
     * rounded half-to-even, "-" kept on negative zero, "inf"/"-inf"/"nan".
     */
    static String fixed(double d, int decimals) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = d < 0 || (d == 0 && 1 / d < 0);
        if (negative && !s.startsWith("-")) {
            s = "-" + s;
        }
        return s;
    }

    /** ld2string(LD_STR_HUMAN): "%.17Lf" with trailing zeros (and a bare '.') dropped, "-0" as "0". */
    static String human(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = fixed(d, 17);
        if (s.indexOf('.') >= 0) {
            int l = s.length();
            while (s.charAt(l - 1) == '0') {
                l--;
            }
            if (s.charAt(l - 1) == '.') {
                l--;
            }
            s = s.substring(0, l);
        }
        if (s.equals("-0")) {
            s = "0";
        }
        return s;
    }

    /** addReplyHumanLongDouble: a bulk string in RESP2, a double in RESP3. */
    private static void humanDouble(Reply r, double d) {
        String s = human(d);
        if (r.resp3()) {
            r.raw(("," + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            r.bulk(s);
        }
    }

    /** addReplyDoubleDistance: "%.4f" as a bulk string. */
    private static void distance(Reply r, double d) {
        r.bulk(fixed4(d));
    }

    /**
     * {@code fixed(d, 4)} without BigDecimal for the values distances take (|d| < 2^52 / 10^4):
     * d * 10^4 is split into its rounded product and the exact error (an FMA), which decide
     * the rounding of the exact decimal value, ties to even as glibc.
     */
    static String fixed4(double d) {
        double a = Math.abs(d);
        if (!(a < 4.0e11) || (d == 0 && 1 / d < 0)) {
            return fixed(d, 4);
        }
        double p = a * 1e4;
        double err = Math.fma(a, 1e4, -p); // a * 10^4 == p + err exactly
        double fl = Math.floor(p);
        double diff = (p - fl) - 0.5;
        int sign = diff != 0 ? (diff > 0 ? 1 : -1) : (err > 0 ? 1 : err < 0 ? -1 : 0);
        if (diff == 0 && err == 0) {
            sign = ((long) fl & 1) == 0 ? -1 : 1; // exact tie: to even
        } else if (p - fl == 0 && err < 0) {
            fl -= 1; // the exact value lies just below the integer p
            sign = 1; // ... and far above the half: round back up to p
        }
        long q = (long) fl + (sign > 0 ? 1 : 0);
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) {
            sb.append('-');
        }
        sb.append(q / 10000).append('.');
        long frac = q % 10000;
        if (frac < 1000) {
            sb.append('0');
        }
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        sb.append(frac);
        return sb.toString();
    }

    /** C's (long long) of a double on x86-64 (cvttsd2si): out of range and NaN give LLONG_MIN. */
    private static long toLongLong(double d) {
        if (Double.isNaN(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    // ---------------------------------------------------------------- GEOADD

    /** GEOADD key [NX|XX] [CH] lon lat member ...: coordinates become scores, then ZADD's logic. */
    private static final byte[] ZADD = CommandContext.bytes("zadd");

    private void geoadd(CommandContext c) {
        boolean nx = false, xx = false, ch = false;
        int longidx = 2;
        while (longidx < c.argc()) {
            if (c.argIs(longidx, "nx")) {
                nx = true;
            } else if (c.argIs(longidx, "xx")) {
                xx = true;
            } else if (c.argIs(longidx, "ch")) {
                ch = true;
            } else {
                break;
            }
            longidx++;
        }
        if ((c.argc() - longidx) % 3 != 0 || (xx && nx)) {
            throw CommandError.SYNTAX;
        }
        int elements = (c.argc() - longidx) / 3;
        double[] scores = new double[elements];
        for (int i = 0; i < elements; i++) {
            double[] xy = lonLat(c, longidx + i * 3);
            scores[i] = (double) GeoHash.score(xy[0], xy[1]);
        }
        if (elements == 0) {
            throw CommandError.SYNTAX; // what ZADD answers to no score/member pairs
        }
        // GEOADD runs as ZADD key [NX|XX] [CH] score member... and is propagated so (geoaddCommand).
        byte[][] asZadd = new byte[longidx + elements * 2][];
        asZadd[0] = ZADD;
        System.arraycopy(c.argv(), 1, asZadd, 1, longidx - 1);
        for (int i = 0; i < elements; i++) {
            asZadd[longidx + i * 2] = CommandContext.bytes((long) scores[i]);
            asZadd[longidx + i * 2 + 1] = c.arg(longidx + i * 3 + 2);
        }
        c.propagateAs(asZadd);
        byte[] key = c.arg(1);
        ZSetValue z = zset(c.writeKey(key));
        Reply r = c.reply();
        if (z == null) {
            if (xx) {
                r.integer(0);
                return;
            }
            z = ZSetValue.forFirstMember(c.arg(longidx + 2).length, c.server().config().zsetLimits);
            c.db().set(key, z, c.now());
        }
        long added = 0, updated = 0;
        for (int i = 0; i < elements; i++) {
            byte[] member = c.arg(longidx + i * 3 + 2);
            double score = scores[i];
            double cur = z.score(member);
            if (!Double.isNaN(cur)) {
                if (nx) {
                    continue;
                }
                if (score != cur) {
                    z.put(member, score);
                    updated++;
                }
            } else if (!xx) {
                z.put(member, score);
                added++;
            }
        }
        r.integer(ch ? added + updated : added);
        if (added > 0 || updated > 0) {
            c.changed(key, KeyspaceEvents.ZSET, "zadd");
        }
    }

    // ---------------------------------------------------------------- GEODIST / GEOHASH / GEOPOS

    private void geodist(CommandContext c) {
        double toMeter = 1;
        if (c.argc() == 5) {
            toMeter = unit(c, 4);
        } else if (c.argc() > 5) {
            throw CommandError.SYNTAX;
        }
        Reply r = c.reply();
        ZSetValue z = zset(c.readKey(c.arg(1)));
        if (z == null) {
            r.nullBulk();
            return;
        }
        double[] a = memberPos(z, c.arg(2));
        double[] b = a == null ? null : memberPos(z, c.arg(3));
        if (a == null || b == null) {
            r.nullBulk();
            return;
        }
        distance(r, GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeter);
    }

    private void geohash(CommandContext c) {
        ZSetValue z = zset(c.readKey(c.arg(1)));
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double score = z == null ? Double.NaN : z.score(c.arg(j));
            if (Double.isNaN(score)) {
                r.nullBulk();
            } else {
                r.bulk(GeoHash.geohashString(score));
            }
        }
    }

    private void geopos(CommandContext c) {
        ZSetValue z = zset(c.readKey(c.arg(1)));
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double[] xy = z == null ? null : memberPos(z, c.arg(j));
            if (xy == null) {
                r.nullArray();
            } else {
                r.array(2);
                humanDouble(r, xy[0]);
                humanDouble(r, xy[1]);
            }
        }
    }

    // ---------------------------------------------------------------- GEORADIUS / GEOSEARCH

    /** georadiusGeneric: every search command, with Redis's argument order and error precedence. */
    private void georadius(CommandContext c, int srcKeyIndex, int flags) {
        byte[] storeKey = null;
        boolean storeDist = false;
        ZSetValue z = zset(c.readKey(c.arg(srcKeyIndex)));

        int baseArgs;
        double[] xy = null;
        boolean box = false;
        double radius = 0, width = 0, height = 0, conversion = 0;
        if ((flags & RADIUS_COORDS) != 0) {
            baseArgs = 6;
            xy = lonLat(c, 2);
            radius = radiusArg(c, 4);
            conversion = unit(c, 5);
        } else if ((flags & RADIUS_MEMBER) != 0 && z == null) {
            baseArgs = 5;
        } else if ((flags & RADIUS_MEMBER) != 0) {
            baseArgs = 5;
            xy = memberPos(z, c.arg(2));
            if (xy == null) {
                throw NOT_DECODE;
            }
            radius = radiusArg(c, 3);
            conversion = unit(c, 4);
        } else {
            baseArgs = 2;
            if ((flags & GEOSEARCHSTORE) != 0) {
                baseArgs = 3;
                storeKey = c.arg(1);
            }
        }

        boolean withDist = false, withHash = false, withCoords = false;
        boolean fromMember = false, fromLoc = false, byRadius = false, byBox = false;
        Sort sort = Sort.NONE;
        boolean any = false;
        long count = 0;
        int remaining = c.argc() - baseArgs;
        for (int i = 0; i < remaining; i++) {
            int a = baseArgs + i;
            if (c.argIs(a, "withdist")) {
                withDist = true;
            } else if (c.argIs(a, "withhash")) {
                withHash = true;
            } else if (c.argIs(a, "withcoord")) {
                withCoords = true;
            } else if (c.argIs(a, "any")) {
                any = true;
            } else if (c.argIs(a, "asc")) {
                sort = Sort.ASC;
            } else if (c.argIs(a, "desc")) {
                sort = Sort.DESC;
            } else if (c.argIs(a, "count") && i + 1 < remaining) {
                count = c.longArg(a + 1);
                if (count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                i++;
            } else if (c.argIs(a, "store") && i + 1 < remaining
                    && (flags & RADIUS_NOSTORE) == 0 && (flags & GEOSEARCH) == 0) {
                storeKey = c.arg(a + 1);
                storeDist = false;
                i++;
            } else if (c.argIs(a, "storedist") && i + 1 < remaining
                    && (flags & RADIUS_NOSTORE) == 0 && (flags & GEOSEARCH) == 0) {
                storeKey = c.arg(a + 1);
                storeDist = true;
                i++;
            } else if (c.argIs(a, "storedist") && (flags & GEOSEARCH) != 0 && (flags & GEOSEARCHSTORE) != 0) {
                storeDist = true;
            } else if (c.argIs(a, "frommember") && i + 1 < remaining && (flags & GEOSEARCH) != 0 && !fromLoc) {
                if (z != null) {
                    xy = memberPos(z, c.arg(a + 1));
                    if (xy == null) {
                        throw NOT_DECODE;
                    }
                }
                fromMember = true;
                i++;
            } else if (c.argIs(a, "fromlonlat") && i + 2 < remaining && (flags & GEOSEARCH) != 0 && !fromMember) {
                xy = lonLat(c, a + 1);
                fromLoc = true;
                i += 2;
            } else if (c.argIs(a, "byradius") && i + 2 < remaining && (flags & GEOSEARCH) != 0 && !byBox) {
                radius = radiusArg(c, a + 1);
                conversion = unit(c, a + 2);
                box = false;
                byRadius = true;
                i += 2;
            } else if (c.argIs(a, "bybox") && i + 3 < remaining && (flags & GEOSEARCH) != 0 && !byRadius) {
                width = doubleArg(c, a + 1, "need numeric width");
                height = doubleArg(c, a + 2, "need numeric height");
                if (height < 0 || width < 0) {
                    throw new CommandError("ERR height or width cannot be negative");
                }
                conversion = unit(c, a + 3);
                box = true;
                byBox = true;
                i += 3;
            } else {
                throw CommandError.SYNTAX;
            }
        }

        if (storeKey != null && (withDist || withHash || withCoords)) {
            throw new CommandError("ERR " + ((flags & GEOSEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if ((flags & GEOSEARCH) != 0 && !(fromMember || fromLoc)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + c.argString(0));
        }
        if ((flags & GEOSEARCH) != 0 && !(byRadius || byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.argString(0));
        }
        if (any && count == 0) {
            throw new CommandError("ERR the ANY argument requires COUNT argument");
        }

        Reply r = c.reply();
        if (z == null) {
            if (storeKey != null) {
                if (c.db().delete(storeKey)) {
                    c.changed(storeKey, KeyspaceEvents.GENERIC, "del");
                }
                r.integer(0);
            } else {
                r.array(0);
            }
            return;
        }

        if (count != 0 && sort == Sort.NONE && !any) {
            sort = Sort.ASC;
        }
        GeoSearch.Shape shape = box
                ? GeoSearch.Shape.box(xy[0], xy[1], width, height, conversion)
                : GeoSearch.Shape.circle(xy[0], xy[1], radius, conversion);
        GeoSearch.Points ga = GeoSearch.search(z, shape, any ? count : 0);

        if (ga.size() == 0 && storeKey == null) {
            r.array(0);
            return;
        }
        int resultLength = ga.size();
        int returned = count == 0 || resultLength < count ? resultLength : (int) count;
        if (sort != Sort.NONE) {
            ga.sort(sort == Sort.DESC, returned);
        }

        if (storeKey == null) {
            int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
            r.array(returned);
            for (int i = 0; i < returned; i++) {
                double dist = ga.dist(i) / conversion;
                if (options > 0) {
                    r.array(options + 1);
                }
                r.bulk(ga.member(i));
                if (withDist) {
                    distance(r, dist);
                }
                if (withHash) {
                    r.integer(toLongLong(ga.score(i)));
                }
                if (withCoords) {
                    r.array(2);
                    humanDouble(r, ga.lon(i));
                    humanDouble(r, ga.lat(i));
                }
            }
            return;
        }

        if (returned > 0) {
            ZSetValue out = ZSetValue.skiplist(c.server().config().zsetLimits);
            for (int i = 0; i < returned; i++) {
                double dist = ga.dist(i) / conversion;
                out.put(ga.member(i), storeDist ? dist : ga.score(i));
            }
            out.convertToListpackIfFits();
            c.db().set(storeKey, out, c.now());
            c.changed(storeKey, KeyspaceEvents.ZSET, (flags & GEOSEARCH) != 0 ? "geosearchstore" : "georadiusstore");
        } else if (c.db().delete(storeKey)) {
            c.changed(storeKey, KeyspaceEvents.GENERIC, "del");
        }
        r.integer(returned);
    }

    /** extractDistanceOrReply's number: "need numeric radius", "radius cannot be negative". */
    private static double radiusArg(CommandContext c, int i) {
        double d = doubleArg(c, i, "need numeric radius");
        if (d < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        return d;
    }
}
