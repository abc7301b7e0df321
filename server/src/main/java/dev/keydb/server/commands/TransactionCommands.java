package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.ALLOW_BUSY;
import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.SKIP_MONITOR;
import static dev.keydb.server.command.CommandFlag.SKIP_SLOWLOG;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH; the logic is in {@link dev.keydb.server.Transactions}. */
public final class TransactionCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        String g = "transactions";
        t.add(command("multi", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl(g).group(g)
                .doc("1.2.0", "O(1)", "Starts a transaction.").run(c -> c.server().transactions().multi(c)));
        t.add(command("exec", 1).flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG).acl(g).group(g)
                .doc("1.2.0", "Depends on commands in the transaction", "Executes all commands in a transaction.")
                .run(c -> c.server().transactions().exec(c)));
        t.add(command("discard", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl(g).group(g)
                .doc("2.0.0", "O(N), when N is the number of queued commands", "Discards a transaction.")
                .run(c -> c.server().transactions().discard(c)));
        t.add(command("watch", -2).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).keys(1, -1, 1).acl(g).group(g)
                .doc("2.2.0", "O(1) for every key.", "Monitors changes to keys to determine the execution of a transaction.")
                .run(c -> c.server().transactions().watch(c)));
        t.add(command("unwatch", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl(g).group(g)
                .doc("2.2.0", "O(1)", "Forgets about watched keys of a transaction.")
                .run(c -> c.server().transactions().unwatch(c)));
    }
}
