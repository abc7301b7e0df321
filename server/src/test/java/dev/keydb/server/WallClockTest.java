package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The time commands see is never behind the wall clock (a TTL set from the client's clock must
 * never read longer than it was set) and at most a millisecond ahead, before and after a refresh.
 */
class WallClockTest {
    @Test
    void derivedTimeTracksTheWallClock() {
        WallClock clock = new WallClock();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 200_000; i++) {
                long before = System.currentTimeMillis();
                long derived = clock.millisAt(System.nanoTime());
                long after = System.currentTimeMillis();
                assertThat(derived).isBetween(before, after + 1);
            }
            clock.refresh();
        }
    }
}
