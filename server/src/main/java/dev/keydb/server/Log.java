package dev.keydb.server;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Redis-style log lines ({@code pid:M 23 Nov 2026 21:08:02.123 * message}) on stdout or in
 * {@code logfile}, filtered by {@code loglevel}. Redis's marks: '.' debug, '-' verbose,
 * '*' notice, '#' warning.
 */
public final class Log {
    public enum Level { DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');
        final char mark;
        Level(char mark) { this.mark = mark; }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT);
    private static final long PID = ProcessHandle.current().pid();
    private static volatile Level threshold = Level.NOTICE;
    private static volatile PrintStream out = System.out;
    private static volatile boolean silent;

    private Log() {}

    /** Applies {@code loglevel} ("nothing" silences) and {@code logfile} ("" is stdout). */
    public static synchronized void configure(String level, String file) throws IOException {
        silent = level.equals("nothing");
        if (!silent) {
            threshold = Level.valueOf(level.toUpperCase(Locale.ROOT));
        }
        if (!file.isEmpty()) {
            out = new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8);
        }
    }

    public static void debug(String msg) { log(Level.DEBUG, msg); }
    public static void verbose(String msg) { log(Level.VERBOSE, msg); }
    public static void notice(String msg) { log(Level.NOTICE, msg); }
    public static void warning(String msg) { log(Level.WARNING, msg); }

    public static void log(Level level, String msg) {
        if (silent || level.ordinal() < threshold.ordinal()) {
            return;
        }
        out.println(PID + ":M " + ZonedDateTime.now().format(TIME) + " " + level.mark + " " + msg);
    }
}
