package dev.keydb.storage.geo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.storage.types.ZSetValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Geohash arithmetic against values a real Redis 7.0 computes, and the search and sort helpers. */
class GeoHashTest {
    @Test
    void scoresMatchRedis() {
        // GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania; ZRANGE ... WITHSCORES
        assertThat(GeoHash.score(13.361389, 38.115556)).isEqualTo(3479099956230698L);
        assertThat(GeoHash.score(15.087269, 37.502669)).isEqualTo(3479447370796909L);
        // the edges: longitude 180 overflows the 26 longitude bits, as in Redis
        assertThat(GeoHash.score(180, 85.05112878)).isEqualTo(13510798882111488L);
        assertThat(GeoHash.score(-180, -85.05112878)).isZero();
        assertThat(GeoHash.score(0, 0)).isEqualTo(3377699720527872L);
        assertThat(GeoHash.encodeWGS84(181, 0, 26)).isEqualTo(-1);
        assertThat(GeoHash.encodeWGS84(0, 85.06, 26)).isEqualTo(-1);
    }

    @Test
    void decodesToTheCellCentreClamped() {
        double[] xy = new double[2];
        GeoHash.decodeScore(3479099956230698d, xy);
        assertThat(xy[0]).isEqualTo(13.361389338970184);
        assertThat(xy[1]).isEqualTo(38.1155563954963);
        GeoHash.decodeScore(13510798882111488d, xy);
        assertThat(xy).containsExactly(180, 85.05112878);
        GeoHash.decodeScore(-5, xy); // any zset score decodes (through C's (uint64_t) conversion), as GEOPOS shows
        assertThat(xy).containsExactly(180, 85.05112878);
    }

    @Test
    void standardGeohashStrings() {
        assertThat(str(GeoHash.geohashString(3479099956230698d))).isEqualTo("sqc8b49rny0");
        assertThat(str(GeoHash.geohashString(3479447370796909d))).isEqualTo("sqdtr74hyu0");
        assertThat(str(GeoHash.geohashString(13510798882111488d))).isEqualTo("bp05b5048p0");
        assertThat(str(GeoHash.geohashString(0))).isEqualTo("00bh0hbj200");
    }

    @Test
    void haversineDistance() {
        double[] a = new double[2], b = new double[2];
        GeoHash.decodeScore(3479099956230698d, a);
        GeoHash.decodeScore(3479447370796909d, b);
        // GEODIST Sicily Palermo Catania -> "166274.1516"
        assertThat(GeoHash.distance(a[0], a[1], b[0], b[1])).isBetween(166274.15155, 166274.15165);
        assertThat(GeoHash.distance(a[0], a[1], a[0], a[1])).isZero();
    }

    @Test
    void asinIsCorrectlyRounded() {
        Random rnd = new Random(3);
        for (int i = 0; i < 2000; i++) {
            double x = rnd.nextDouble();
            double y = GeoHash.asin(x);
            // y is the double nearest asin(x): its neighbours' sines are farther from x
            double e = Math.abs(new java.math.BigDecimal(StrictMath.sin(y)).subtract(new java.math.BigDecimal(x)).doubleValue());
            assertThat(Math.abs(y - StrictMath.asin(x))).isLessThanOrEqualTo(Math.ulp(y));
            assertThat(e).isLessThan(4 * Math.ulp(x) + 1e-300);
        }
        assertThat(GeoHash.asin(1)).isEqualTo(Math.PI / 2);
        assertThat(GeoHash.asin(0)).isZero();
    }

    @Test
    void neighboursWrapAroundLikeRedis() {
        long h = GeoHash.encodeWGS84(0, 0, 1);
        assertThat(GeoHash.moveX(GeoHash.moveX(h, 1, 1), 1, 1)).isEqualTo(h); // two cells east at step 1 wraps
        assertThat(GeoHash.moveY(GeoHash.moveY(h, 1, -1), 1, -1)).isEqualTo(h);
    }

    @Test
    void partialSortPutsTheSmallestFirst() {
        Random rnd = new Random(11);
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(200);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = rnd.nextInt(20); // many ties
            }
            int k = 1 + rnd.nextInt(n);
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            PartialQuickSort.sort(perm, (a, b) -> d[a] > d[b] ? 1 : d[a] == d[b] ? 0 : -1, 0, k - 1);
            double[] sorted = d.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < k; i++) {
                assertThat(d[perm[i]]).isEqualTo(sorted[i]);
            }
            int[] check = perm.clone();
            Arrays.sort(check);
            for (int i = 0; i < n; i++) {
                assertThat(check[i]).isEqualTo(i);
            }
        }
    }

    @Test
    void fullSortIsStable() {
        Random rnd = new Random(13);
        for (int round = 0; round < 200; round++) {
            int n = rnd.nextInt(300);
            int[] key = new int[n];
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                key[i] = rnd.nextInt(10);
                perm[i] = i;
            }
            GeoSearch.mergeSort(perm, new int[n], 0, n, (a, b) -> Integer.compare(key[a], key[b]));
            for (int i = 1; i < n; i++) {
                int a = perm[i - 1], b = perm[i];
                assertThat(key[a] < key[b] || (key[a] == key[b] && a < b)).isTrue();
            }
        }
    }

    @Test
    void searchFindsWhatABruteForceScanFinds() {
        Random rnd = new Random(5);
        ZSetValue z = ZSetValue.skiplist(new ZSetValue.Limits());
        double[][] pos = new double[500][];
        for (int i = 0; i < pos.length; i++) {
            double lon = 10 + rnd.nextDouble() * 10;
            double lat = 40 + rnd.nextDouble() * 10;
            long score = GeoHash.score(lon, lat);
            z.put(("m" + i).getBytes(StandardCharsets.US_ASCII), score);
            pos[i] = new double[2];
            GeoHash.decodeScore(score, pos[i]);
        }
        for (int q = 0; q < 50; q++) {
            double lon = 10 + rnd.nextDouble() * 10;
            double lat = 40 + rnd.nextDouble() * 10;
            double radiusKm = 10 + rnd.nextDouble() * 300;
            GeoSearch.Points p = GeoSearch.search(z, GeoSearch.Shape.circle(lon, lat, radiusKm, 1000), 0);
            long expected = Arrays.stream(pos).filter(xy -> GeoHash.distance(lon, lat, xy[0], xy[1]) <= radiusKm * 1000).count();
            assertThat(p.size()).isEqualTo((int) expected);
        }
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
