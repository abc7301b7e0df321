package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The eviction pool's order: when every key is sampled, the pool holds the best candidates and
 * hands them out best first, through its full-pool shifts, across databases, and without
 * handing out a key deleted since it was pooled.
 */
class EvictionPoolTest {
    private static final long NOW = 1_000_000_000_000L;

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.US_ASCII);
    }

    /** The next {@code n} victims, each deleted as the server would. */
    private static List<String> evict(EvictionPool pool, Keyspace ks, EvictionPolicy policy, int n) {
        List<String> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            EvictionPool.Victim v = pool.next(ks, policy, 1000, NOW, rnd);
            if (v == null) {
                break;
            }
            ks.db(v.db()).delete(v.key());
            out.add(v.db() + ":" + new String(v.key(), StandardCharsets.US_ASCII));
        }
        return out;
    }

    @Test
    void lruTakesTheLongestIdleFirst() {
        Keyspace ks = new Keyspace(2);
        for (int i = 0; i < 100; i++) {
            ks.db(i % 2).set(key("k" + i), new byte[10], NOW);
            ks.db(i % 2).setClock(key("k" + i), AccessClock.idleFor(1000 - i, NOW)); // k0 idle longest
        }
        List<String> victims = evict(new EvictionPool(), ks, EvictionPolicy.ALLKEYS_LRU, 40);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(i % 2 + ":k" + i);
        }
        assertThat(victims).isEqualTo(expected);
    }

    @Test
    void ttlTakesTheSoonestToExpireAndOnlyVolatileKeys() {
        Keyspace ks = new Keyspace(1);
        Database db = ks.db(0);
        for (int i = 0; i < 50; i++) {
            db.set(key("persistent" + i), new byte[10], NOW);
            db.set(key("t" + i), new byte[10], NOW, NOW + 100_000 - i * 1000L); // t49 expires first
        }
        List<String> victims = evict(new EvictionPool(), ks, EvictionPolicy.VOLATILE_TTL, 60);
        assertThat(victims).hasSize(50);
        assertThat(victims.get(0)).isEqualTo("0:t49");
        assertThat(victims.get(49)).isEqualTo("0:t0");
        assertThat(db.size()).isEqualTo(50);                          // the persistent keys stay
    }

    @Test
    void lfuTakesTheLeastFrequentlyUsedFirst() {
        Keyspace ks = new Keyspace(1);
        ks.accessClock().useLfu(true);
        Database db = ks.db(0);
        for (int i = 0; i < 30; i++) {
            db.set(key("k" + i), new byte[10], NOW);
            db.setClock(key("k" + i), ks.accessClock().withFrequency(200 - i, NOW)); // k29 least used
        }
        assertThat(evict(new EvictionPool(), ks, EvictionPolicy.ALLKEYS_LFU, 3)).containsExactly("0:k29", "0:k28", "0:k27");
    }

    @Test
    void aPooledKeyDeletedMeanwhileIsSkipped() {
        Keyspace ks = new Keyspace(1);
        Database db = ks.db(0);
        for (int i = 0; i < 20; i++) {
            db.set(key("k" + i), new byte[10], NOW);
            db.setClock(key("k" + i), AccessClock.idleFor(1000 - i, NOW));
        }
        EvictionPool pool = new EvictionPool();
        assertThat(evict(pool, ks, EvictionPolicy.ALLKEYS_LRU, 1)).containsExactly("0:k0");
        db.delete(key("k1"));                                          // pooled, then gone
        assertThat(evict(pool, ks, EvictionPolicy.ALLKEYS_LRU, 1)).containsExactly("0:k2");
        assertThat(evict(pool, ks, EvictionPolicy.NOEVICTION, 1)).isEmpty();
    }
}
