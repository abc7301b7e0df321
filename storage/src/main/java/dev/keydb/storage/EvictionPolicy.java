package dev.keydb.storage;

import java.util.Locale;

/** Redis's maxmemory-policy values: which keys may go, and by what measure. */
public enum EvictionPolicy {
    VOLATILE_LRU(true, Measure.LRU),
    VOLATILE_LFU(true, Measure.LFU),
    VOLATILE_RANDOM(true, Measure.RANDOM),
    VOLATILE_TTL(true, Measure.TTL),
    ALLKEYS_LRU(false, Measure.LRU),
    ALLKEYS_LFU(false, Measure.LFU),
    ALLKEYS_RANDOM(false, Measure.RANDOM),
    NOEVICTION(false, Measure.NONE);

    enum Measure { LRU, LFU, TTL, RANDOM, NONE }

    /** Only keys with a TTL are candidates. */
    final boolean volatileOnly;
    final Measure measure;

    EvictionPolicy(boolean volatileOnly, Measure measure) {
        this.volatileOnly = volatileOnly;
        this.measure = measure;
    }

    public static EvictionPolicy fromConfig(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public boolean usesLfu() {
        return measure == Measure.LFU;
    }
}
