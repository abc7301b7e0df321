package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ALLOW_BUSY;
import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.NO_AUTH;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.Client;
import dev.keydb.server.Server;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Connection commands: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO. */
public final class ConnectionCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        String g = "connection";
        t.add(command("ping", -1).flags(FAST).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Returns the server's liveliness response.").run(this::ping));
        t.add(command("echo", 2).flags(FAST, LOADING, STALE).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Returns the given string.").run(c -> c.reply().bulk(c.arg(1))));
        t.add(command("quit", -1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Closes the connection.").run(this::quit));
        t.add(command("reset", 1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).acl(g).group(g)
                .doc("6.2.0", "O(1)", "Resets the connection.").run(this::reset));
        t.add(command("select", 2).flags(LOADING, STALE, FAST).acl(g).group(g)
                .doc("1.0.0", "O(1)", "Changes the selected database.").run(this::select));
        t.add(command("auth", -2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).acl(g).group(g)
                .doc("1.0.0", "O(N) where N is the number of passwords defined for the user", "Authenticates the connection.").run(this::auth));
        t.add(command("hello", -1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).acl(g).group(g)
                .doc("6.0.0", "O(1)", "Handshakes with the Redis server.").run(this::hello));
    }

    private void ping(CommandContext c) {
        if (c.argc() > 2) {
            throw c.wrongArity();
        }
        if (c.client().protocol() == 2 && c.client().inSubscribedMode()) {
            // Subscribed RESP2 clients get PING as a message-shaped array, as Redis.
            c.reply().array(2);
            c.reply().bulk("pong");
            c.reply().bulk(c.argc() == 2 ? c.arg(1) : new byte[0]);
        } else if (c.argc() == 1) {
            c.reply().simple("PONG");
        } else {
            c.reply().bulk(c.arg(1));
        }
    }

    private void quit(CommandContext c) {
        c.reply().ok();
        c.client().closeAfterReply();
    }

    private void reset(CommandContext c) {
        Client client = c.client();
        client.db(0);
        client.protocol(2);
        client.name("");
        client.replyMode(Client.ReplyMode.ON);
        client.noEvict(false);
        client.authenticated(c.server().config().requirepass.isEmpty());
        c.server().pubsub().unsubscribeAll(client);
        c.server().tracking().disable(client);
        c.server().dispatcher().monitors().remove(client);
        c.reply().simple("RESET");
    }

    private void select(CommandContext c) {
        long id = c.longArg(1, "ERR value is not an integer or out of range");
        if (id < 0 || id >= c.server().keyspace().databases()) {
            throw CommandError.DB_INDEX;
        }
        c.client().db((int) id);
        c.reply().ok();
    }

    private void auth(CommandContext c) {
        if (c.argc() > 3) {
            throw CommandError.SYNTAX;
        }
        String user = c.argc() == 3 ? c.argString(1) : "default";
        byte[] password = c.arg(c.argc() - 1);
        String requirepass = c.server().config().requirepass;
        if (c.argc() == 2 && requirepass.isEmpty()) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        if (!authenticate(c.server(), user, password)) {
            throw new CommandError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.client().authenticated(true);
        c.reply().ok();
    }

    /** The default user is the only user until ACLs exist; without requirepass it has no password. */
    static boolean authenticate(Server server, String user, byte[] password) {
        if (!user.equals("default")) {
            return false;
        }
        String requirepass = server.config().requirepass;
        if (requirepass.isEmpty()) {
            return true;
        }
        // Constant-time comparison, as Redis's time_independent_strcmp.
        return MessageDigest.isEqual(requirepass.getBytes(StandardCharsets.UTF_8), password);
    }

    private void hello(CommandContext c) {
        int protocol = c.client().protocol();
        int next = 1;
        if (c.argc() >= 2) {
            Long v = dev.keydb.storage.Numbers.parseLongOrNull(c.arg(1));
            if (v == null) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            protocol = (int) (long) v;
            next = 2;
        }
        String setName = null;
        boolean authed = false;
        for (int j = next; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "auth") && more >= 2) {
                if (!authenticate(c.server(), c.argString(j + 1), c.arg(j + 2))) {
                    throw new CommandError("WRONGPASS invalid username-password pair or user is disabled.");
                }
                authed = true;
                j += 2;
            } else if (c.argIs(j, "setname") && more >= 1) {
                setName = c.argString(j + 1);
                if (!ClientCommands.validName(setName)) {
                    throw new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");
                }
                j++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + c.argString(j) + "'");
            }
        }
        if (authed) {
            c.client().authenticated(true);
        }
        if (!c.client().authenticated()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, "
                    + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client "
                    + "and select the RESP protocol version at the same time");
        }
        if (setName != null) {
            c.client().name(setName);
        }
        c.client().protocol(protocol);
        Reply r = c.reply();
        r.map(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(Server.VERSION);
        r.bulk("proto");
        r.integer(protocol);
        r.bulk("id");
        r.integer(c.client().id());
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk("master");
        r.bulk("modules");
        r.array(0);
    }
}
