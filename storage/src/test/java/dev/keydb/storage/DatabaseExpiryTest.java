package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lazy expiry on lookup, the active cycle, and the TTL bookkeeping of a database. */
class DatabaseExpiryTest {
    private static final long T0 = 1_700_000_000_000L;

    Keyspace ks;
    Database db;
    List<String> expiredEvents;

    @BeforeEach
    void setUp() {
        ks = new Keyspace(4);
        db = ks.db(0);
        expiredEvents = new ArrayList<>();
        ks.setEvents((id, key) -> expiredEvents.add(id + ":" + new String(key, StandardCharsets.US_ASCII)));
    }

    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void keyIsLiveUntilItsExpiryTimeAndGoneAtIt() {
        db.set(k("a"), k("v"), T0, T0 + 100);
        assertThat(db.expireAt(k("a"))).isEqualTo(T0 + 100);
        assertThat(db.lookup(k("a"), T0 + 99)).isEqualTo(k("v"));
        assertThat(db.exists(k("a"), T0 + 99)).isTrue();
        assertThat(expiredEvents).isEmpty();

        assertThat(db.lookup(k("a"), T0 + 100)).isNull(); // due when when <= now, as Redis
        assertThat(db.size()).isZero();
        assertThat(db.volatileCount()).isZero();
        assertThat(db.expireAt(k("a"))).isEqualTo(ExpireTable.NONE);
        assertThat(ks.expiredKeys()).isEqualTo(1);
        assertThat(expiredEvents).containsExactly("0:a");
    }

    @Test
    void lookupNoTouchExpiresButLeavesTheClock() {
        db.set(k("a"), 1L, T0);
        int clock = db.clockOf(k("a"));
        assertThat(db.lookupNoTouch(k("a"), T0 + 5000)).isEqualTo(1L);
        assertThat(db.clockOf(k("a"))).isEqualTo(clock);
        assertThat(db.lookup(k("a"), T0 + 5000)).isEqualTo(1L);
        assertThat(db.clockOf(k("a"))).isEqualTo(AccessClock.seconds(T0 + 5000));

        db.setExpire(k("a"), T0 + 6000);
        assertThat(db.lookupNoTouch(k("a"), T0 + 6000)).isNull();
        assertThat(db.clockOf(k("a"))).isEqualTo(-1);
    }

    @Test
    void setDropsTheTtlAndKeepTtlVariantKeepsIt() {
        db.set(k("a"), k("1"), T0, T0 + 1000);
        db.setKeepTtl(k("a"), k("2"), T0);
        assertThat(db.expireAt(k("a"))).isEqualTo(T0 + 1000);
        db.set(k("a"), k("3"), T0);
        assertThat(db.expireAt(k("a"))).isEqualTo(ExpireTable.NONE);
        assertThat(db.lookup(k("a"), T0 + 10_000)).isEqualTo(k("3"));
    }

    @Test
    void persistAndDelete() {
        db.set(k("a"), k("1"), T0, T0 + 1000);
        assertThat(db.persist(k("a"))).isTrue();
        assertThat(db.persist(k("a"))).isFalse();
        assertThat(db.lookup(k("a"), T0 + 2000)).isNotNull();
        db.setExpire(k("a"), T0 + 3000);
        assertThat(db.delete(k("a"))).isTrue();
        assertThat(db.volatileCount()).isZero();
        assertThat(db.delete(k("a"))).isFalse();
        assertThatThrownBy(() -> db.setExpire(k("missing"), T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void disabledExpiryKeepsDueKeys() {
        db.set(k("a"), k("1"), T0, T0 + 1);
        ks.setExpiryEnabled(false);
        assertThat(db.lookup(k("a"), T0 + 10)).isNotNull();
        assertThat(db.activeExpireStep(T0 + 10, 100)).isZero();
        ks.setExpiryEnabled(true);
        assertThat(db.lookup(k("a"), T0 + 10)).isNull();
    }

    @Test
    void activeCycleReclaimsDueKeysWithoutAccess() {
        for (int i = 0; i < 5000; i++) {
            db.set(k("v" + i), (long) i, T0, T0 + 10);
        }
        for (int i = 0; i < 100; i++) {
            db.set(k("p" + i), (long) i, T0);
            ks.db(1).set(k("x" + i), (long) i, T0, T0 + 1_000_000);
        }
        long reclaimed = 0;
        for (int round = 0; round < 10_000 && db.size() > 100; round++) {
            reclaimed += ks.activeExpireCycle(T0 + 20, 1_000_000_000L);
        }
        assertThat(db.size()).isEqualTo(100);
        assertThat(reclaimed).isEqualTo(5000);
        assertThat(ks.expiredKeys()).isEqualTo(5000);
        assertThat(ks.db(1).size()).isEqualTo(100); // not due yet
        assertThat(expiredEvents).hasSize(5000).allMatch(e -> e.startsWith("0:v"));
    }

    @Test
    void randomKeySkipsAndReclaimsExpiredKeys() {
        Random rnd = new Random(1);
        assertThat(db.randomKey(T0, rnd)).isNull();
        db.set(k("live"), 1L, T0);
        for (int i = 0; i < 10; i++) {
            db.set(k("e" + i), 1L, T0, T0 + 1);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(db.randomKey(T0 + 5, rnd)).isEqualTo(k("live"));
        }
        db.delete(k("live"));
        // Only expired keys: gives up after bounded tries or once they are all reclaimed.
        assertThat(db.randomKey(T0 + 5, rnd)).isNull();
    }

    @Test
    void swapExchangesValuesAndTtls() {
        db.set(k("a"), 1L, T0, T0 + 100);
        ks.db(1).set(k("b"), 2L, T0);
        ks.swap(0, 1);
        assertThat(db.lookup(k("b"), T0)).isEqualTo(2L);
        assertThat(db.lookup(k("a"), T0)).isNull();
        assertThat(ks.db(1).expireAt(k("a"))).isEqualTo(T0 + 100);
        assertThat(ks.db(1).lookup(k("a"), T0 + 100)).isNull();
        assertThat(expiredEvents).containsExactly("1:a");
    }

    @Test
    void clearAndFlushAll() {
        db.set(k("a"), 1L, T0, T0 + 100);
        ks.db(2).set(k("b"), 1L, T0);
        assertThat(ks.totalKeys()).isEqualTo(2);
        ks.flushAll();
        assertThat(ks.totalKeys()).isZero();
        assertThat(db.volatileCount()).isZero();
    }
}
