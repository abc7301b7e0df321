package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.SlowLog;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import dev.keydb.storage.Numbers;
import java.util.List;

/** SLOWLOG GET|LEN|RESET|HELP (Redis's slowlog.c slowlogCommand). */
public final class SlowlogCommand implements CommandFamily {
    private static final String[] HELP = {
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
    };

    @Override
    public void register(CommandTable t) {
        t.add(command("slowlog", -2).group("server")
                .doc("2.2.12", "Depends on subcommand.", "A container for slow log commands")
                .sub(command("get", -2).flags(ADMIN, LOADING, STALE)
                        .doc("2.2.12", "O(N) where N is the number of entries returned", "Get the slow log's entries").run(this::get))
                .sub(command("help", 2).flags(LOADING, STALE)
                        .doc("6.2.0", "O(1)", "Show helpful text about the different subcommands").run(c -> Help.reply(c, "SLOWLOG", HELP)))
                .sub(command("len", 2).flags(ADMIN, LOADING, STALE)
                        .doc("2.2.12", "O(1)", "Get the slow log's length")
                        .run(c -> c.reply().integer(c.server().dispatcher().slowlog().size())))
                .sub(command("reset", 2).flags(ADMIN, LOADING, STALE)
                        .doc("2.2.12", "O(N) where N is the number of entries in the slowlog", "Clear all entries from the slow log")
                        .run(this::reset)));
    }

    private void get(CommandContext c) {
        if (c.argc() > 3) {
            throw Help.subcommandSyntax(c);
        }
        SlowLog log = c.server().dispatcher().slowlog();
        long count = 10;
        if (c.argc() == 3) {
            Long n = Numbers.parseLongOrNull(c.arg(2));
            if (n == null || n < -1) {
                throw new CommandError("ERR count should be greater than or equal to -1");
            }
            count = n == -1 ? log.size() : n;
        }
        List<SlowLog.Entry> entries = log.newest(count);
        Reply r = c.reply();
        r.array(entries.size());
        for (SlowLog.Entry e : entries) {
            r.array(6);
            r.integer(e.id());
            r.integer(e.timeSec());
            r.integer(e.durationMicros());
            r.array(e.argv().length);
            for (byte[] a : e.argv()) {
                r.bulk(a);
            }
            r.bulk(e.peer());
            r.bulk(e.clientName());
        }
    }

    private void reset(CommandContext c) {
        c.server().dispatcher().slowlog().reset();
        c.reply().ok();
    }
}
