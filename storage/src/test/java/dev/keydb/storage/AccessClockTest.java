package dev.keydb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-key access clock: Redis's 24-bit LRU seconds across their wrap, and the LFU counter's decay. */
class AccessClockTest {
    private static final long WRAP_MS = (AccessClock.LRU_CLOCK_MAX + 1L) * 1000;

    @Test
    void idleTimeCountsAcrossTheClocksWrap() {
        long beforeWrap = 5 * WRAP_MS - 10_000;                       // 10 s before the 24-bit clock wraps
        int clock = AccessClock.seconds(beforeWrap);
        assertThat(clock).isEqualTo(AccessClock.LRU_CLOCK_MAX - 9);
        assertThat(AccessClock.idleSeconds(clock, beforeWrap + 3_000)).isEqualTo(3);
        assertThat(AccessClock.idleSeconds(clock, beforeWrap + 25_000)).isEqualTo(24);   // wrapped: Redis's estimate, one short
        assertThat(AccessClock.idleSeconds(AccessClock.idleFor(100, beforeWrap), beforeWrap)).isEqualTo(100);
    }

    @Test
    void lfuCounterStartsAtFiveGrowsAndDecaysByTheMinute() {
        AccessClock c = new AccessClock();
        c.useLfu(true);
        c.setLogFactor(0);                                           // every access counts
        long now = 1_000_000_000_000L;
        int clock = c.forNewKey(now);
        assertThat(c.frequency(clock, now)).isEqualTo(AccessClock.LFU_INIT_VAL);
        for (int i = 0; i < 10; i++) {
            clock = c.onAccess(clock, now);
        }
        assertThat(c.frequency(clock, now)).isEqualTo(15);
        assertThat(c.frequency(clock, now + 3 * 60_000)).isEqualTo(12);   // lfu-decay-time 1: one a minute
        c.setDecayMinutes(0);
        assertThat(c.frequency(clock, now + 3 * 60_000)).isEqualTo(15);
        assertThat(clock & ~0xFFFFFF).isZero();                      // fits the table's 24 bits
    }
}
