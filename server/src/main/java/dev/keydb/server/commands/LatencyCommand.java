package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.LatencyHistogram;
import dev.keydb.server.LatencyMonitor;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LATENCY LATEST|HISTORY|RESET|GRAPH|DOCTOR|HISTOGRAM|HELP (Redis's latency.c latencyCommand).
 * Events are recorded by the dispatcher ({@link LatencyMonitor}); per-command histograms live on
 * the command table rows ({@link CommandSpec#latencyHistogram()}).
 */
public final class LatencyCommand implements CommandFamily {
    private static final String[] HELP = {
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
        "    If no commands are specified then all histograms are replied.",
    };

    @Override
    public void register(CommandTable t) {
        t.add(command("latency", -2).group("server")
                .doc("2.8.13", "Depends on subcommand.", "A container for latency diagnostics commands")
                .sub(command("doctor", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("2.8.13", "O(1)", "Return a human readable latency analysis report.")
                        .run(c -> c.reply().verbatim(c.server().dispatcher().latency().doctor())))
                .sub(command("graph", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("2.8.13", "O(1)", "Return a latency graph for the event.").run(this::graph))
                .sub(command("help", 2).flags(LOADING, STALE)
                        .doc("2.8.13", "O(1)", "Show helpful text about the different subcommands.").run(c -> Help.reply(c, "LATENCY", HELP)))
                .sub(command("histogram", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("7.0.0", "O(N) where N is the number of commands with latency information being retrieved.",
                                "Return the cumulative distribution of latencies of a subset of commands or all.").run(this::histogram))
                .sub(command("history", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("2.8.13", "O(1)", "Return timestamp-latency samples for the event.").run(this::history))
                .sub(command("latest", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("2.8.13", "O(1)", "Return the latest latency samples for all events.").run(this::latest))
                .sub(command("reset", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .doc("2.8.13", "O(1)", "Reset latency data for one or more events.").run(this::reset)));
    }

    private void history(CommandContext c) {
        LatencyMonitor.Series ts = c.server().dispatcher().latency().series(c.argString(2));
        Reply r = c.reply();
        if (ts == null) {
            r.array(0);
            return;
        }
        List<long[]> samples = LatencyMonitor.samples(ts);
        r.array(samples.size());
        for (long[] s : samples) {
            r.array(2);
            r.integer(s[0]);
            r.integer(s[1]);
        }
    }

    private void latest(CommandContext c) {
        Map<String, LatencyMonitor.Series> events = c.server().dispatcher().latency().events();
        Reply r = c.reply();
        r.array(events.size());
        for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
            long[] last = LatencyMonitor.latest(e.getValue());
            r.array(4);
            r.bulk(e.getKey());
            r.integer(last[0]);
            r.integer(last[1]);
            r.integer(e.getValue().max());
        }
    }

    private void graph(CommandContext c) {
        String event = c.argString(2);
        LatencyMonitor.Series ts = c.server().dispatcher().latency().series(event);
        if (ts == null) {
            throw new CommandError("ERR No samples available for event '" + event + "'");
        }
        c.reply().verbatim(LatencyMonitor.graph(event, ts));
    }

    private void reset(CommandContext c) {
        LatencyMonitor lm = c.server().dispatcher().latency();
        if (c.argc() == 2) {
            c.reply().integer(lm.reset(null));
            return;
        }
        int resets = 0;
        for (int j = 2; j < c.argc(); j++) {
            resets += lm.reset(c.argString(j));
        }
        c.reply().integer(resets);
    }

    /** Redis's latencyAllCommandsFillCDF / latencySpecificCommandsFillCDF: a map of command to its distribution. */
    private void histogram(CommandContext c) {
        List<CommandSpec> with = new ArrayList<>();
        if (c.argc() == 2) {
            for (CommandSpec spec : c.server().commands().allWithSubcommands()) {
                if (spec.latencyHistogram() != null) {
                    with.add(spec);
                }
            }
        } else {
            for (int j = 2; j < c.argc(); j++) {
                CommandSpec spec = lookup(c, c.argString(j));
                if (spec == null) {
                    continue; // unknown commands are skipped, as Redis
                }
                if (spec.latencyHistogram() != null) {
                    with.add(spec);
                }
                for (CommandSpec sub : spec.subcommands().values()) {
                    if (sub.latencyHistogram() != null) {
                        with.add(sub);
                    }
                }
            }
        }
        Reply r = c.reply();
        r.map(with.size());
        for (CommandSpec spec : with) {
            r.bulk(spec.fullName());
            fillCdf(r, spec.latencyHistogram());
        }
    }

    /** "cmd" or "container|sub", case-insensitive (Redis's lookupCommandBySds). */
    private static CommandSpec lookup(CommandContext c, String name) {
        String[] parts = name.toLowerCase(Locale.ROOT).split("\\|", -1);
        if (parts.length > 2) {
            return null;
        }
        CommandSpec spec = c.server().commands().lookup(parts[0]);
        if (spec == null || parts.length == 1) {
            return spec;
        }
        return spec.subcommands().get(parts[1]);
    }

    private static void fillCdf(Reply r, LatencyHistogram h) {
        r.map(2);
        r.bulk("calls");
        r.integer(h.totalCount());
        r.bulk("histogram_usec");
        List<long[]> buckets = new ArrayList<>();
        h.forEachCumulativeBucket((micros, cumulative) -> buckets.add(new long[] {micros, cumulative}));
        r.map(buckets.size());
        for (long[] b : buckets) {
            r.integer(b[0]);
            r.integer(b[1]);
        }
    }
}
