package dev.keydb.storage.geo;

/**
 * Redis's pqsort (the NetBSD libc quicksort of Bentley and McIlroy, modified to sort only
 * what overlaps a range of ranks), on an array of indices. Ported for identical output:
 * the sort is not stable, so elements that compare equal must come out in Redis's order.
 */
final class PartialQuickSort {
    private PartialQuickSort() {}

    /** Sorts {@code a} so that ranks [lrange, rrange] hold what a full sort would put there. */
    static void sort(int[] a, GeoSearch.IntCmp cmp, int lrange, int rrange) {
        sort(a, 0, a.length, cmp, lrange, rrange);
    }

    private static int cmp(int[] a, GeoSearch.IntCmp cmp, int i, int j) {
        return cmp.compare(a[i], a[j]);
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static void vecswap(int[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }

    private static int med3(int[] a, GeoSearch.IntCmp c, int x, int y, int z) {
        return cmp(a, c, x, y) < 0
                ? (cmp(a, c, y, z) < 0 ? y : (cmp(a, c, x, z) < 0 ? z : x))
                : (cmp(a, c, y, z) > 0 ? y : (cmp(a, c, x, z) < 0 ? x : z));
    }

    private static boolean overlaps(int lrange, int rrange, int first, int last) {
        return !((lrange < first && rrange < first) || (lrange > last && rrange > last));
    }

    private static void sort(int[] a, int base, int n, GeoSearch.IntCmp c, int lrange, int rrange) {
        while (true) {
            if (n < 7) {
                for (int pm = base + 1; pm < base + n; pm++) {
                    for (int pl = pm; pl > base && cmp(a, c, pl - 1, pl) > 0; pl--) {
                        swap(a, pl, pl - 1);
                    }
                }
                return;
            }
            int pm = base + n / 2;
            if (n > 7) {
                int pl = base;
                int pn = base + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(a, c, pl, pl + d, pl + 2 * d);
                    pm = med3(a, c, pm - d, pm, pm + d);
                    pn = med3(a, c, pn - 2 * d, pn - d, pn);
                }
                pm = med3(a, c, pl, pm, pn);
            }
            swap(a, base, pm);
            int pa = base + 1;
            int pb = pa;
            int pc = base + n - 1;
            int pd = pc;
            for (;;) {
                int r;
                while (pb <= pc && (r = cmp(a, c, pb, base)) <= 0) {
                    if (r == 0) {
                        swap(a, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (r = cmp(a, c, pc, base)) >= 0) {
                    if (r == 0) {
                        swap(a, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb, pc);
                pb++;
                pc--;
            }
            int pn = base + n;
            int r = Math.min(pa - base, pb - pa);
            vecswap(a, base, pb - r, r);
            r = Math.min(pd - pc, pn - pd - 1);
            vecswap(a, pb, pn - r, r);
            if ((r = pb - pa) > 1) {
                if (overlaps(lrange, rrange, base, base + r - 1)) {
                    sort(a, base, r, c, lrange, rrange);
                }
            }
            if ((r = pd - pc) > 1) {
                base = pn - r;
                n = r;
                if (overlaps(lrange, rrange, base, base + r - 1)) {
                    continue;
                }
            }
            return;
        }
    }
}
