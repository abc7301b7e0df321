package dev.keydb.server.commands;

import dev.keydb.server.Client;
import dev.keydb.server.Tracking;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO (the tracking branches of Redis's
 * clientCommand), registered as CLIENT subcommands by {@link ClientCommands}; the state and
 * the invalidations live in {@link Tracking}.
 */
final class TrackingCommands {
    private TrackingCommands() { }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]. */
    static void tracking(CommandContext c) {
        Client client = c.client();
        Tracking tracking = c.server().tracking();
        long redirect = 0;
        int options = 0;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < c.argc(); j++) {
            boolean moreArgs = j < c.argc() - 1;
            if (c.argIs(j, "redirect") && moreArgs) {
                j++;
                if (redirect != 0) {
                    throw new CommandError("ERR A client can only redirect to a single other client");
                }
                redirect = c.longArg(j);
                // The target must exist now, even though it may disconnect later.
                if (c.server().clients().byId(redirect) == null) {
                    throw new CommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (c.argIs(j, "bcast")) {
                options |= Tracking.BCAST;
            } else if (c.argIs(j, "optin")) {
                options |= Tracking.OPTIN;
            } else if (c.argIs(j, "optout")) {
                options |= Tracking.OPTOUT;
            } else if (c.argIs(j, "noloop")) {
                options |= Tracking.NOLOOP;
            } else if (c.argIs(j, "prefix") && moreArgs) {
                prefixes.add(c.arg(++j));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (c.argIs(2, "on")) {
            Tracking.State s = client.tracking();
            if ((options & Tracking.BCAST) == 0 && !prefixes.isEmpty()) {
                throw new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
            }
            if (s != null && s.has(Tracking.BCAST) != ((options & Tracking.BCAST) != 0)) {
                throw new CommandError("ERR You can't switch BCAST mode on/off before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if ((options & Tracking.BCAST) != 0 && (options & (Tracking.OPTIN | Tracking.OPTOUT)) != 0) {
                throw new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
            }
            if ((options & Tracking.OPTIN) != 0 && (options & Tracking.OPTOUT) != 0) {
                throw new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
            }
            if (s != null && (((options & Tracking.OPTIN) != 0 && s.has(Tracking.OPTOUT))
                    || ((options & Tracking.OPTOUT) != 0 && s.has(Tracking.OPTIN)))) {
                throw new CommandError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if ((options & Tracking.BCAST) != 0) {
                String collision = tracking.prefixCollision(client, prefixes);
                if (collision != null) {
                    throw new CommandError(collision);
                }
            }
            tracking.enable(client, redirect, options, prefixes);
        } else if (c.argIs(2, "off")) {
            tracking.disable(client);
        } else {
            throw CommandError.SYNTAX;
        }
        c.reply().ok();
    }

    /** CLIENT CACHING YES|NO: whether the next command's keys are tracked, in OPTIN or OPTOUT mode. */
    static void caching(CommandContext c) {
        Tracking.State s = c.client().tracking();
        if (s == null) {
            throw new CommandError("ERR CLIENT CACHING can be called only when the client is in tracking mode "
                    + "with OPTIN or OPTOUT mode enabled");
        }
        if (c.argIs(2, "yes")) {
            if (!s.has(Tracking.OPTIN)) {
                throw new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (c.argIs(2, "no")) {
            if (!s.has(Tracking.OPTOUT)) {
                throw new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw CommandError.SYNTAX;
        }
        c.server().tracking().caching(c.client());
        c.reply().ok();
    }

    /** CLIENT GETREDIR: the redirect id, 0 when tracking without one, -1 when not tracking. */
    static void getredir(CommandContext c) {
        Tracking.State s = c.client().tracking();
        c.reply().integer(s == null ? -1 : s.redirect());
    }

    /** CLIENT TRACKINGINFO: a map of flags (a set), redirect and prefixes. */
    static void trackinginfo(CommandContext c) {
        Tracking.State s = c.client().tracking();
        Reply r = c.reply();
        r.map(3);
        r.bulk("flags");
        List<String> flags = new ArrayList<>();
        flags.add(s != null ? "on" : "off");
        if (s != null) {
            if (s.has(Tracking.BCAST)) {
                flags.add("bcast");
            }
            if (s.has(Tracking.OPTIN)) {
                flags.add("optin");
                if (s.caching()) {
                    flags.add("caching-yes");
                }
            }
            if (s.has(Tracking.OPTOUT)) {
                flags.add("optout");
                if (s.caching()) {
                    flags.add("caching-no");
                }
            }
            if (s.has(Tracking.NOLOOP)) {
                flags.add("noloop");
            }
            if (s.brokenRedirect()) {
                flags.add("broken_redirect");
            }
        }
        r.set(flags.size());
        for (String f : flags) {
            r.bulk(f);
        }
        r.bulk("redirect");
        r.integer(s == null ? -1 : s.redirect());
        r.bulk("prefixes");
        List<byte[]> prefixes = s == null ? List.of() : s.prefixes();
        r.array(prefixes.size());
        for (byte[] p : prefixes) {
            r.bulk(p);
        }
    }
}
