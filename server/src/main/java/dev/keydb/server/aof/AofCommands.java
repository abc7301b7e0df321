package dev.keydb.server.aof;

import static dev.keydb.server.command.CommandFlag.ADMIN;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.NO_ASYNC_LOADING;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;

/** BGREWRITEAOF (Redis's bgrewriteaofCommand). */
public final class AofCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        t.add(command("bgrewriteaof", 1).flags(NO_ASYNC_LOADING, ADMIN, NOSCRIPT).group("server")
                .doc("1.0.0", "O(1)", "Asynchronously rewrites the append-only file to disk.").run(this::bgrewriteaof));
    }

    private void bgrewriteaof(CommandContext c) {
        Aof aof = c.server().aof();
        if (aof.rewriteInProgress()) {
            throw new CommandError("ERR Background append only file rewriting already in progress");
        }
        if (c.client().executingMulti() || c.server().persistence().bgsaveInProgress()) {
            aof.scheduleRewrite(); // started by the cron once the transaction or the BGSAVE is over
            c.reply().simple("Background append only file rewriting scheduled");
            return;
        }
        aof.rewriteBackground();
        c.reply().simple("Background append only file rewriting started");
    }
}
