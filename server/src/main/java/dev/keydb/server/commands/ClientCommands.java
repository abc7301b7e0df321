package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.Client;
import dev.keydb.server.ClientPause;
import dev.keydb.server.PubSub;
import dev.keydb.server.Server;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.storage.Numbers;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.UnixChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** CLIENT and its subcommands (Redis's networking.c clientCommand), Redis 7 reply shapes and errors. */
public final class ClientCommands implements CommandFamily {
    private static final CommandError NAME_CHARSET =
            new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");

    /** Redis's client types (getClientTypeByName); every connection is NORMAL until pub/sub and replication exist. */
    enum ClientType { NORMAL, REPLICA, PUBSUB, MASTER }

    @Override
    public void register(CommandTable t) {
        String g = "connection";
        t.add(command("client", -2).group(g)
                .doc("2.4.0", "Depends on subcommand.", "A container for client connection commands")
                .sub(command("id", 2).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("5.0.0", "O(1)", "Returns the client ID for the current connection")
                        .run(c -> c.reply().integer(c.client().id())))
                .sub(command("setname", 3).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("2.6.9", "O(1)", "Set the current connection name").run(this::setname))
                .sub(command("getname", 2).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("2.6.9", "O(1)", "Get the current connection name").run(this::getname))
                .sub(command("list", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("2.4.0", "O(N) where N is the number of client connections", "Get the list of client connections")
                        .run(this::list))
                .sub(command("info", 2).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("6.2.0", "O(1)", "Returns information about the current client connection.")
                        .run(c -> c.reply().verbatim(infoLine(c, c.client()) + "\n")))
                .sub(command("kill", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("2.4.0", "O(N) where N is the number of client connections", "Kill the connection of a client")
                        .run(this::kill))
                .sub(command("pause", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("2.9.50", "O(1)", "Stop processing commands from clients for some time").run(this::pause))
                .sub(command("unpause", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("6.2.0", "O(N) Where N is the number of paused clients", "Resume processing of clients that were paused")
                        .run(c -> {
                            c.server().unpauseClients();
                            c.reply().ok();
                        }))
                .sub(command("unblock", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("5.0.0", "O(log N) where N is the number of client connections",
                                "Unblock a client blocked in a blocking command from a different connection")
                        .run(this::unblock))
                .sub(command("reply", 3).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("3.2.0", "O(1)", "Instruct the server whether to reply to commands").run(this::reply))
                .sub(command("no-evict", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("7.0.0", "O(1)", "Set client eviction mode for the current connection").run(this::noEvict))
                .sub(command("setinfo", 4).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("7.2.0", "O(1)", "Set client or connection specific info").run(this::setinfo))
                // Client-side caching (TrackingCommands).
                .sub(command("tracking", -3).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("6.0.0", "O(1). Some options may introduce additional complexity.",
                                "Enable or disable server assisted client side caching support").run(TrackingCommands::tracking))
                .sub(command("caching", 3).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("6.0.0", "O(1)", "Instruct the server about tracking or not keys in the next request")
                        .run(TrackingCommands::caching))
                .sub(command("getredir", 2).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("6.0.0", "O(1)", "Get tracking notifications redirection client ID if any").run(TrackingCommands::getredir))
                .sub(command("trackinginfo", 2).flags(NOSCRIPT, LOADING, STALE).acl(g)
                        .doc("6.2.0", "O(1)", "Return information about server assisted client side caching for the current connection")
                        .run(TrackingCommands::trackinginfo))
                .sub(command("help", 2).flags(LOADING, STALE).acl(g)
                        .doc("5.0.0", "O(1)", "Show helpful text about the different subcommands").run(this::help)));
    }

    /** Redis refuses client names with spaces, newlines or characters outside '!'..'~'. */
    public static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    private static boolean validAttr(byte[] value) {
        for (byte b : value) {
            if (b < '!' || b > '~') { // bytes >= 0x80 are negative, as C's signed char
                return false;
            }
        }
        return true;
    }

    private void setname(CommandContext c) {
        byte[] name = c.arg(2);
        if (!validAttr(name)) {
            throw NAME_CHARSET;
        }
        c.client().name(c.argString(2)); // the empty name removes it
        c.reply().ok();
    }

    private void getname(CommandContext c) {
        String name = c.client().name();
        if (name.isEmpty()) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(name);
        }
    }

    private void setinfo(CommandContext c) {
        String attr = c.argString(2);
        boolean libName = c.argIs(2, "lib-name");
        if (!libName && !c.argIs(2, "lib-ver")) {
            throw new CommandError("ERR Unrecognized option '" + attr + "'");
        }
        if (!validAttr(c.arg(3))) {
            throw new CommandError("ERR " + attr + " cannot contain spaces, newlines or special characters.");
        }
        if (libName) {
            c.client().libName(c.argString(3));
        } else {
            c.client().libVer(c.argString(3));
        }
        c.reply().ok();
    }

    private void reply(CommandContext c) {
        Client client = c.client();
        if (c.argIs(2, "on")) {
            client.replyMode(Client.ReplyMode.ON);
            c.reply().ok();
        } else if (c.argIs(2, "off")) {
            client.replyMode(Client.ReplyMode.OFF);
        } else if (c.argIs(2, "skip")) {
            if (client.replyMode() != Client.ReplyMode.OFF) {
                client.replyMode(Client.ReplyMode.SKIP_NEXT);
            }
        } else {
            throw CommandError.SYNTAX;
        }
    }

    private void noEvict(CommandContext c) {
        if (c.argIs(2, "on")) {
            c.client().noEvict(true);
        } else if (c.argIs(2, "off")) {
            c.client().noEvict(false);
        } else {
            throw CommandError.SYNTAX;
        }
        c.reply().ok();
    }

    // ---- LIST / INFO --------------------------------------------------------------------------

    private void list(CommandContext c) {
        Server server = c.server();
        StringBuilder out = new StringBuilder();
        if (c.argc() == 4 && c.argIs(2, "type")) {
            ClientType type = typeByName(c.argString(3));
            for (Client cl : server.clients().all()) {
                if (typeOf(cl) == type) {
                    out.append(infoLine(c, cl)).append('\n');
                }
            }
        } else if (c.argc() > 3 && c.argIs(2, "id")) {
            List<Long> ids = new ArrayList<>();
            for (int j = 3; j < c.argc(); j++) {
                ids.add(c.longArg(j, "ERR Invalid client ID"));
            }
            for (long id : ids) {
                Client cl = server.clients().byId(id);
                if (cl != null) {
                    out.append(infoLine(c, cl)).append('\n');
                }
            }
        } else if (c.argc() != 2) {
            throw CommandError.SYNTAX;
        } else {
            for (Client cl : server.clients().all()) {
                out.append(infoLine(c, cl)).append('\n');
            }
        }
        c.reply().verbatim(out.toString());
    }

    /** Redis's catClientInfoString, Redis 7.2 field order (lib-name/lib-ver after resp). */
    static String infoLine(CommandContext caller, Client cl) {
        long now = System.currentTimeMillis();
        long argvMem = 0;
        if (cl == caller.client() && caller.argv() != null) {
            for (byte[] a : caller.argv()) {
                argvMem += a.length;
            }
        }
        long qbuf = cl.queryBufferBytes();
        long omem = Math.max(cl.outputBufferBytes(), pendingOutput(cl.channel()));
        StringBuilder b = new StringBuilder(320);
        b.append("id=").append(cl.id())
                .append(" addr=").append(cl.address())
                .append(" laddr=").append(cl.localAddress())
                .append(" fd=").append(fd(cl.channel()))
                .append(" name=").append(cl.name())
                .append(" age=").append(Math.max(0, (now - cl.createdMs()) / 1000))
                .append(" idle=").append(Math.max(0, (now - cl.lastInteractionMs()) / 1000))
                .append(" flags=").append(flags(cl, caller.server().dispatcher().monitors()))
                .append(" db=").append(cl.db())
                .append(" sub=").append(cl.subscriptionCount(PubSub.Kind.CHANNEL))
                .append(" psub=").append(cl.subscriptionCount(PubSub.Kind.PATTERN))
                .append(" ssub=").append(cl.subscriptionCount(PubSub.Kind.SHARD))
                .append(" multi=-1")
                .append(" qbuf=").append(qbuf)
                .append(" qbuf-free=0")
                .append(" argv-mem=").append(argvMem)
                .append(" multi-mem=0")
                // Replies are rendered into a buffer per read cycle, not a per-client reply buffer.
                .append(" rbs=0 rbp=0")
                .append(" obl=0 oll=0")
                .append(" omem=").append(omem)
                .append(" tot-mem=").append(qbuf + argvMem + omem)
                .append(" events=").append(omem > 0 ? "rw" : "r")
                .append(" cmd=").append(cl.lastCommand())
                .append(" user=default")
                .append(" redir=").append(cl.tracking() == null ? -1 : cl.tracking().redirect())
                .append(" resp=").append(cl.protocol())
                .append(" lib-name=").append(cl.libName())
                .append(" lib-ver=").append(cl.libVer());
        return b.toString();
    }

    /** Redis's flag letters, in its order; 'N' when none. */
    private static String flags(Client cl, dev.keydb.server.Monitors monitors) {
        StringBuilder f = new StringBuilder();
        if (monitors.contains(cl)) {
            f.append('O');
        }
        if (cl.inSubscribedMode()) {
            f.append('P');
        }
        if (cl.paused() || cl.blocked()) {
            f.append('b'); // blocking command, or held by CLIENT PAUSE (Redis's BLOCKED_POSTPONE)
        }
        dev.keydb.server.Tracking.State t = cl.tracking(); // client-side caching: t, broken redirect R, BCAST B
        if (t != null) {
            f.append('t');
            if (t.brokenRedirect()) {
                f.append('R');
            }
            if (t.has(dev.keydb.server.Tracking.BCAST)) {
                f.append('B');
            }
        }
        if (cl.isCloseAfterReply()) {
            f.append('c');
        }
        if (cl.killed()) {
            f.append('A');
        }
        if (cl.noEvict()) {
            f.append('e');
        }
        return f.length() == 0 ? "N" : f.toString();
    }

    private static int fd(Channel ch) {
        if (ch instanceof UnixChannel u && u.fd() != null) {
            return u.fd().intValue();
        }
        return -1;
    }

    private static long pendingOutput(Channel ch) {
        if (ch == null) {
            return 0;
        }
        ChannelOutboundBuffer ob = ch.unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
    }

    /** The client's type for TYPE filters: pubsub while subscribed; replication will add replica/master. */
    static ClientType typeOf(Client cl) {
        return cl.inSubscribedMode() ? ClientType.PUBSUB : ClientType.NORMAL;
    }

    private static ClientType typeByName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "normal":
                return ClientType.NORMAL;
            case "slave":
            case "replica":
                return ClientType.REPLICA;
            case "pubsub":
                return ClientType.PUBSUB;
            case "master":
                return ClientType.MASTER;
            default:
                throw new CommandError("ERR Unknown client type '" + name + "'");
        }
    }

    // ---- KILL ---------------------------------------------------------------------------------

    private void kill(CommandContext c) {
        String addr = null, laddr = null;
        ClientType type = null;
        long id = 0, maxAge = 0;
        boolean skipme = true;
        if (c.argc() == 3) {
            addr = c.argString(2); // old form: CLIENT KILL ip:port
            skipme = false;
        } else if (c.argc() > 3) {
            for (int i = 2; i < c.argc(); i += 2) {
                boolean moreargs = c.argc() > i + 1;
                if (c.argIs(i, "id") && moreargs) {
                    Long v = Numbers.parseLongOrNull(c.arg(i + 1));
                    if (v == null || v < 1) {
                        throw new CommandError("ERR client-id should be greater than 0");
                    }
                    id = v;
                } else if (c.argIs(i, "type") && moreargs) {
                    type = typeByName(c.argString(i + 1));
                } else if (c.argIs(i, "addr") && moreargs) {
                    addr = c.argString(i + 1);
                } else if (c.argIs(i, "laddr") && moreargs) {
                    laddr = c.argString(i + 1);
                } else if (c.argIs(i, "user") && moreargs) {
                    if (!c.argString(i + 1).equals("default")) { // the only user until ACLs exist
                        throw new CommandError("ERR No such user '" + c.argString(i + 1) + "'");
                    }
                } else if (c.argIs(i, "skipme") && moreargs) {
                    if (c.argIs(i + 1, "yes")) {
                        skipme = true;
                    } else if (c.argIs(i + 1, "no")) {
                        skipme = false;
                    } else {
                        throw CommandError.SYNTAX;
                    }
                } else if (c.argIs(i, "maxage") && moreargs) {
                    maxAge = c.longArg(i + 1, "ERR maxage is not an integer or out of range");
                } else {
                    throw CommandError.SYNTAX;
                }
            }
        } else {
            throw CommandError.SYNTAX;
        }
        long nowSec = c.now() / 1000;
        boolean killSelf = false;
        long killed = 0;
        for (Client cl : c.server().clients().all()) {
            if (addr != null && !addr.equals(cl.address())) {
                continue;
            }
            if (laddr != null && !laddr.equals(cl.localAddress())) {
                continue;
            }
            if (type != null && typeOf(cl) != type) {
                continue;
            }
            if (id != 0 && cl.id() != id) {
                continue;
            }
            if (maxAge != 0 && nowSec - cl.createdMs() / 1000 <= maxAge) {
                continue;
            }
            if (cl == c.client() && skipme) {
                continue;
            }
            if (cl == c.client()) {
                killSelf = true;
            } else {
                cl.kill();
            }
            killed++;
        }
        if (c.argc() == 3) {
            if (killed == 0) {
                throw new CommandError("ERR No such client");
            }
            c.reply().ok();
        } else {
            c.reply().integer(killed);
        }
        if (killSelf) {
            c.client().closeAfterReply(); // after the reply is queued, as Redis
        }
    }

    // ---- PAUSE --------------------------------------------------------------------------------

    private void pause(CommandContext c) {
        if (c.argc() > 4) {
            throw Help.subcommandSyntax(c);
        }
        ClientPause.Type type = ClientPause.Type.ALL;
        if (c.argc() == 4) {
            if (c.argIs(3, "write")) {
                type = ClientPause.Type.WRITE;
            } else if (!c.argIs(3, "all")) {
                throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        long timeout = c.longArg(2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (timeout > Long.MAX_VALUE - c.now()) {
            throw new CommandError("ERR timeout is out of range");
        }
        c.server().pauseClients(type, timeout);
        c.reply().ok();
    }

    /**
     * CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends another client's BLPOP/XREAD BLOCK/... wait as
     * its timeout would, or with an UNBLOCKED error; 1 if it was blocked, else 0.
     */
    private void unblock(CommandContext c) {
        if (c.argc() > 4) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.");
        }
        boolean withError = false;
        if (c.argc() == 4) {
            if (c.argIs(3, "error")) {
                withError = true;
            } else if (!c.argIs(3, "timeout")) {
                throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        Client target = c.server().clients().byId(c.longArg(2));
        c.reply().integer(target != null && c.server().blockedClients().unblockByRequest(target, withError) ? 1 : 0);
    }

    private void help(CommandContext c) {
        Help.reply(c, "CLIENT",
                "CACHING (YES|NO)",
                "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR",
                "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "    * ID <client-id>",
                "      Kill connections by client id.",
                "    * MAXAGE <maxage>",
                "      Kill connections older than the specified age.",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                "    Unblock the specified blocked client.",
                "SETINFO <option> <value>",
                "    Set client meta attr. Options are:",
                "    * LIB-NAME: the client lib name.",
                "    * LIB-VER: the client lib version.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO",
                "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction.");
    }
}
