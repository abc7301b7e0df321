package dev.keydb.server.commands;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.storage.Numbers;

/** The timeout argument of blocking commands (Redis 7.0 getTimeoutFromObjectOrReply, seconds as a float). */
final class Timeouts {
    private static final CommandError NOT_FLOAT = new CommandError("ERR timeout is not a float or out of range");
    private static final CommandError NEGATIVE = new CommandError("ERR timeout is negative");
    private static final CommandError OUT_OF_RANGE = new CommandError("ERR timeout is out of range");

    private Timeouts() {}

    /** Milliseconds to wait, 0 meaning forever. */
    static long parseSeconds(CommandContext c, int i) {
        Double seconds = Numbers.parseDoubleOrNull(c.arg(i));
        if (seconds == null) {
            throw NOT_FLOAT;
        }
        // Truncated to whole milliseconds before the sign check, exactly as Redis (so -0.0001 is 0 =
        // forever); a value beyond the long range converts to LLONG_MIN on x86-64, hence "negative".
        double ms = seconds * 1000;
        long millis = Math.abs(ms) >= 0x1p63 ? Long.MIN_VALUE : (long) ms;
        if (millis < 0) {
            throw NEGATIVE;
        }
        if (millis > Long.MAX_VALUE - c.now()) {
            throw OUT_OF_RANGE;
        }
        return millis;
    }
}
