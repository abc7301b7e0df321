package dev.keydb.server.command;

/**
 * Parsing of the expire options shared by SET, GETEX and the SETEX family, with Redis's
 * checks and error texts (t_string.c getExpireMillisecondsOrReply).
 */
public final class Expiry {
    public enum Unit { SECONDS, MILLISECONDS }

    private Expiry() {}

    /**
     * The absolute expiry time in ms for an option value, relative ({@code EX/PX}) or absolute
     * ({@code EXAT/PXAT}). Throws "invalid expire time in 'cmd' command" for values Redis refuses.
     */
    public static long absoluteMs(CommandContext c, int argIndex, Unit unit, boolean relative) {
        long v = c.longArg(argIndex);
        if (v <= 0 || (unit == Unit.SECONDS && v > Long.MAX_VALUE / 1000)) {
            throw invalid(c);
        }
        if (unit == Unit.SECONDS) {
            v *= 1000;
        }
        if (relative) {
            if (v > Long.MAX_VALUE - c.now()) {
                throw invalid(c);
            }
            v += c.now();
        }
        return v;
    }

    public static CommandError invalid(CommandContext c) {
        return new CommandError("ERR invalid expire time in '" + c.spec().fullName() + "' command");
    }
}
