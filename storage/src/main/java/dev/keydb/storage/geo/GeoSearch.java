package dev.keydb.storage.geo;

import dev.keydb.storage.types.ZSetValue;
import java.util.Arrays;

/**
 * An area search over a sorted set of geohash scores, as Redis's georadiusGeneric does it
 * (geo.c + geohash_helper.c): the centre cell and its eight neighbours at a step estimated
 * from the radius, each queried as a score range, every candidate filtered by the exact shape.
 * Results keep Redis's discovery order, and its sort (a stable sort of all results, or the
 * NetBSD partial quicksort {@code pqsort} when COUNT cuts the list) so ties come out alike.
 */
public final class GeoSearch {
    /** A search area: a circle of {@code radius} or a {@code width} x {@code height} box, in units of {@code conversion} meters. */
    public static final class Shape {
        public final double lon;
        public final double lat;
        public final boolean box;
        public final double radius;
        public final double width;
        public final double height;
        public final double conversion;

        private Shape(double lon, double lat, boolean box, double radius, double width, double height, double conversion) {
            this.lon = lon;
            this.lat = lat;
            this.box = box;
            this.radius = radius;
            this.width = width;
            this.height = height;
            this.conversion = conversion;
        }

        public static Shape circle(double lon, double lat, double radius, double conversion) {
            return new Shape(lon, lat, false, radius, 0, 0, conversion);
        }

        public static Shape box(double lon, double lat, double width, double height, double conversion) {
            return new Shape(lon, lat, true, 0, width, height, conversion);
        }

        /**
         * Whether the position of {@code score} lies in the shape; fills {@code xy} with it and
         * {@code dist[0]} with its distance in meters from the centre (geoWithinShape).
         */
        boolean contains(double score, double[] xy, double[] dist) {
            GeoHash.decodeScore(score, xy);
            if (!box) {
                double limit = radius * conversion;
                if (GeoHash.distanceApprox(lon, lat, xy[0], xy[1]) > limit * (1 + 1e-12)) {
                    return false; // clearly outside: the exact distance is not needed
                }
                double d = GeoHash.distance(lon, lat, xy[0], xy[1]);
                if (d > limit) {
                    return false;
                }
                dist[0] = d;
                return true;
            }
            double halfWidth = width * conversion / 2;
            double halfHeight = height * conversion / 2;
            if (GeoHash.distanceApprox(xy[0], xy[1], lon, xy[1]) > halfWidth * (1 + 1e-12)
                    || GeoHash.distanceApprox(xy[0], xy[1], xy[0], lat) > halfHeight * (1 + 1e-12)) {
                return false;
            }
            double lonDistance = GeoHash.distance(xy[0], xy[1], lon, xy[1]);
            double latDistance = GeoHash.distance(xy[0], xy[1], xy[0], lat);
            if (lonDistance > halfWidth || latDistance > halfHeight) {
                return false;
            }
            dist[0] = GeoHash.distance(lon, lat, xy[0], xy[1]);
            return true;
        }
    }

    /** The points found: parallel arrays, in discovery order until {@link #sort}. */
    public static final class Points {
        private byte[][] members = new byte[8][];
        private double[] scores = new double[8];
        private double[] dists = new double[8];
        private double[] lons = new double[8];
        private double[] lats = new double[8];
        private int size;

        public int size() {
            return size;
        }

        public byte[] member(int i) {
            return members[i];
        }

        public double score(int i) {
            return scores[i];
        }

        /** Distance from the centre in meters. */
        public double dist(int i) {
            return dists[i];
        }

        public double lon(int i) {
            return lons[i];
        }

        public double lat(int i) {
            return lats[i];
        }

        void add(byte[] member, double score, double dist, double lon, double lat) {
            if (size == members.length) {
                int n = size * 2;
                members = Arrays.copyOf(members, n);
                scores = Arrays.copyOf(scores, n);
                dists = Arrays.copyOf(dists, n);
                lons = Arrays.copyOf(lons, n);
                lats = Arrays.copyOf(lats, n);
            }
            members[size] = member;
            scores[size] = score;
            dists[size] = dist;
            lons[size] = lon;
            lats[size] = lat;
            size++;
        }

        /**
         * Orders the points by distance, ascending or descending, as Redis: glibc's qsort (a
         * stable merge sort) when all are returned, else pqsort over ranks [0, returned-1].
         */
        public void sort(boolean descending, int returned) {
            int[] perm = new int[size];
            for (int i = 0; i < size; i++) {
                perm[i] = i;
            }
            IntCmp cmp = (a, b) -> {
                int r = dists[a] > dists[b] ? 1 : dists[a] == dists[b] ? 0 : -1;
                return descending ? -r : r;
            };
            if (returned == size) {
                mergeSort(perm, new int[size], 0, size, cmp); // stable, as glibc's qsort (a merge sort)
            } else {
                PartialQuickSort.sort(perm, cmp, 0, returned - 1);
            }
            byte[][] m = new byte[members.length][];
            double[] s = new double[scores.length];
            double[] d = new double[dists.length];
            double[] lo = new double[lons.length];
            double[] la = new double[lats.length];
            for (int i = 0; i < size; i++) {
                int p = perm[i];
                m[i] = members[p];
                s[i] = scores[p];
                d[i] = dists[p];
                lo[i] = lons[p];
                la[i] = lats[p];
            }
            members = m;
            scores = s;
            dists = d;
            lons = lo;
            lats = la;
        }
    }

    /** A stable merge sort of {@code a[from, to)} by {@code cmp}, on primitives (no boxing). */
    static void mergeSort(int[] a, int[] tmp, int from, int to, IntCmp cmp) {
        if (to - from < 2) {
            return;
        }
        if (to - from <= 8) {
            for (int i = from + 1; i < to; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= from && cmp.compare(a[j], v) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid, cmp);
        mergeSort(a, tmp, mid, to, cmp);
        if (cmp.compare(a[mid - 1], a[mid]) <= 0) {
            return;
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from, j = mid, k = from;
        while (i < mid && j < to) {
            a[k++] = cmp.compare(tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
        }
        while (i < mid) {
            a[k++] = tmp[i++];
        }
        while (j < to) {
            a[k++] = tmp[j++];
        }
    }

    /** Compares two indices. */
    @FunctionalInterface
    interface IntCmp {
        int compare(int a, int b);
    }

    private GeoSearch() {}

    /**
     * Finds the members of {@code z} inside {@code shape}, in Redis's discovery order; with
     * {@code limit > 0} (COUNT ... ANY) stops as soon as that many were found.
     */
    public static Points search(ZSetValue z, Shape shape, long limit) {
        Points ga = new Points();
        long[] hashes = new long[9];
        int[] steps = new int[9];
        calculateAreas(shape, hashes, steps);
        int lastProcessed = 0;
        for (int i = 0; i < 9; i++) {
            if (hashes[i] == 0 && steps[i] == 0) {
                continue;
            }
            if (lastProcessed != 0 && hashes[i] == hashes[lastProcessed] && steps[i] == steps[lastProcessed]) {
                continue;
            }
            if (ga.size > 0 && limit > 0 && ga.size >= limit) {
                break;
            }
            double min = (double) GeoHash.align52(hashes[i], steps[i]);
            double max = (double) GeoHash.align52(hashes[i] + 1, steps[i]);
            pointsInRange(z, min, max, shape, ga, limit);
            lastProcessed = i;
        }
        return ga;
    }

    /** Appends the members with min <= score < max that lie in the shape (geoGetPointsInRange). */
    private static void pointsInRange(ZSetValue z, double min, double max, Shape shape, Points ga, long limit) {
        long from = z.countScoreLess(min, false);
        long to = z.countScoreLess(max, false) - 1;
        double[] xy = new double[2];
        double[] dist = new double[1];
        // With a limit (COUNT ... ANY) visit in chunks so the scan can stop early.
        final long chunk = limit > 0 ? 64 : Long.MAX_VALUE / 2;
        boolean[] done = new boolean[1];
        for (long start = from; start <= to && !done[0]; start += chunk) {
            long end = Math.min(to, start + chunk - 1);
            z.range(start, end, false, (member, score) -> {
                if (done[0]) {
                    return;
                }
                if (shape.contains(score, xy, dist)) {
                    ga.add(member, score, dist[0], xy[0], xy[1]);
                }
                if (ga.size > 0 && limit > 0 && ga.size >= limit) {
                    done[0] = true;
                }
            });
        }
    }

    /**
     * geohashCalculateAreasByShapeWGS84: fills the centre cell and its neighbours in Redis's
     * order (self, N, S, E, W, NE, NW, SE, SW); a pruned neighbour gets step 0 and bits 0.
     */
    static void calculateAreas(Shape shape, long[] hashes, int[] steps) {
        double longitude = shape.lon;
        double latitude = shape.lat;
        double heightM = shape.conversion * (shape.box ? shape.height / 2 : shape.radius);
        double widthM = shape.conversion * (shape.box ? shape.width / 2 : shape.radius);
        double latDelta = GeoHash.radDeg(heightM / GeoHash.EARTH_RADIUS_IN_METERS);
        double longDeltaTop = GeoHash.radDeg(widthM / GeoHash.EARTH_RADIUS_IN_METERS
                / GeoHash.cos(GeoHash.degRad(latitude + latDelta)));
        double longDeltaBottom = GeoHash.radDeg(widthM / GeoHash.EARTH_RADIUS_IN_METERS
                / GeoHash.cos(GeoHash.degRad(latitude - latDelta)));
        boolean southern = latitude < 0;
        double minLon = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
        double maxLon = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
        double minLat = latitude - latDelta;
        double maxLat = latitude + latDelta;

        double radiusMeters = shape.box
                ? Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2))
                : shape.radius;
        radiusMeters *= shape.conversion;

        int step = GeoHash.estimateStepsByRadius(radiusMeters, latitude);
        long hash = GeoHash.encodeWGS84(longitude, latitude, step);
        double[] north = new double[4], south = new double[4], east = new double[4], west = new double[4];
        GeoHash.decode(GeoHash.moveY(hash, step, 1), step, north);
        GeoHash.decode(GeoHash.moveY(hash, step, -1), step, south);
        GeoHash.decode(GeoHash.moveX(hash, step, 1), step, east);
        GeoHash.decode(GeoHash.moveX(hash, step, -1), step, west);
        boolean decrease = north[3] < maxLat || south[2] > minLat || east[1] < maxLon || west[0] > minLon;
        if (step > 1 && decrease) {
            step--;
            hash = GeoHash.encodeWGS84(longitude, latitude, step);
        }
        double[] area = new double[4];
        GeoHash.decode(hash, step, area);

        hashes[0] = hash;
        hashes[1] = GeoHash.moveY(hash, step, 1); // north
        hashes[2] = GeoHash.moveY(hash, step, -1); // south
        hashes[3] = GeoHash.moveX(hash, step, 1); // east
        hashes[4] = GeoHash.moveX(hash, step, -1); // west
        hashes[5] = GeoHash.moveY(GeoHash.moveX(hash, step, 1), step, 1); // north east
        hashes[6] = GeoHash.moveY(GeoHash.moveX(hash, step, -1), step, 1); // north west
        hashes[7] = GeoHash.moveY(GeoHash.moveX(hash, step, 1), step, -1); // south east
        hashes[8] = GeoHash.moveY(GeoHash.moveX(hash, step, -1), step, -1); // south west
        Arrays.fill(steps, step);
        if (step >= 2) {
            if (area[2] < minLat) {
                zero(hashes, steps, 2, 8, 7); // south, south west, south east
            }
            if (area[3] > maxLat) {
                zero(hashes, steps, 1, 5, 6); // north, north east, north west
            }
            if (area[0] < minLon) {
                zero(hashes, steps, 4, 8, 6); // west, south west, north west
            }
            if (area[1] > maxLon) {
                zero(hashes, steps, 3, 7, 5); // east, south east, north east
            }
        }
    }

    private static void zero(long[] hashes, int[] steps, int... idx) {
        for (int i : idx) {
            hashes[i] = 0;
            steps[i] = 0;
        }
    }
}
