package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.LOADING;
import static dev.keydb.server.command.CommandFlag.MAY_REPLICATE;
import static dev.keydb.server.command.CommandFlag.NOSCRIPT;
import static dev.keydb.server.command.CommandFlag.PUBSUB;
import static dev.keydb.server.command.CommandFlag.STALE;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.ByteKey;
import dev.keydb.server.Client;
import dev.keydb.server.PubSub;
import dev.keydb.server.PubSub.Kind;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/** Pub/Sub commands (Redis's pubsub.c): (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, (S)PUBLISH, PUBSUB. */
public final class PubSubCommands implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        String g = "pubsub";
        t.add(command("subscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group(g)
                .doc("2.0.0", "O(N) where N is the number of channels to subscribe to.", "Listens for messages published to channels.")
                .run(c -> subscribe(c, Kind.CHANNEL, "subscribe")));
        t.add(command("psubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group(g)
                .doc("2.0.0", "O(N) where N is the number of patterns to subscribe to.", "Listens for messages published to channels that match one or more patterns.")
                .run(c -> subscribe(c, Kind.PATTERN, "psubscribe")));
        t.add(command("ssubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).keys(1, -1, 1).group(g)
                .doc("7.0.0", "O(N) where N is the number of shard channels to subscribe to.", "Listens for messages published to shard channels.")
                .run(c -> subscribe(c, Kind.SHARD, "ssubscribe")));
        t.add(command("unsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group(g)
                .doc("2.0.0", "O(N) where N is the number of channels to unsubscribe.", "Stops listening to messages posted to channels.")
                .run(c -> unsubscribe(c, Kind.CHANNEL, "unsubscribe")));
        t.add(command("punsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group(g)
                .doc("2.0.0", "O(N) where N is the number of patterns to unsubscribe.", "Stops listening to messages published to channels that match one or more patterns.")
                .run(c -> unsubscribe(c, Kind.PATTERN, "punsubscribe")));
        t.add(command("sunsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).keys(1, -1, 1).group(g)
                .doc("7.0.0", "O(N) where N is the number of shard channels to unsubscribe.", "Stops listening to messages posted to shard channels.")
                .run(c -> unsubscribe(c, Kind.SHARD, "sunsubscribe")));
        t.add(command("publish", 3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE).group(g)
                .doc("2.0.0", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
                        "Posts a message to a channel.")
                .run(c -> c.reply().integer(c.server().pubsub().publish(c.client(), c.reply(), c.arg(1), c.arg(2), false))));
        t.add(command("spublish", 3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE).keys(1, 1, 1).group(g)
                .doc("7.0.0", "O(N) where N is the number of clients subscribed to the receiving shard channel.", "Post a message to a shard channel")
                .run(c -> c.reply().integer(c.server().pubsub().publish(c.client(), c.reply(), c.arg(1), c.arg(2), true))));
        t.add(command("pubsub", -2).group(g).doc("2.8.0", "Depends on subcommand.", "A container for Pub/Sub commands.")
                .sub(command("channels", -2).flags(PUBSUB, LOADING, STALE)
                        .doc("2.8.0", "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
                                "Returns the active channels.").run(c -> channels(c, false)))
                .sub(command("shardchannels", -2).flags(PUBSUB, LOADING, STALE)
                        .doc("7.0.0", "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
                                "Returns the active shard channels.").run(c -> channels(c, true)))
                .sub(command("numsub", -2).flags(PUBSUB, LOADING, STALE)
                        .doc("2.8.0", "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
                                "Returns a count of subscribers to channels.").run(c -> numsub(c, false)))
                .sub(command("shardnumsub", -2).flags(PUBSUB, LOADING, STALE)
                        .doc("7.0.0", "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
                                "Returns the count of subscribers of shard channels.").run(c -> numsub(c, true)))
                .sub(command("numpat", 2).flags(PUBSUB, LOADING, STALE)
                        .doc("2.8.0", "O(1)", "Returns a count of unique pattern subscriptions.")
                        .run(c -> c.reply().integer(c.server().pubsub().patternCount())))
                .sub(command("help", 2).flags(LOADING, STALE).doc("6.2.0", "O(1)", "Returns helpful text about the different subcommands.")
                        .run(this::help)));
    }

    /** The count in (un)subscribe replies: channels + patterns, or shard channels alone, as Redis. */
    private static int count(Client client, Kind kind) {
        return kind == Kind.SHARD ? client.subscriptionCount(Kind.SHARD)
                : client.subscriptionCount(Kind.CHANNEL) + client.subscriptionCount(Kind.PATTERN);
    }

    private void subscribe(CommandContext c, Kind kind, String verb) {
        PubSub ps = c.server().pubsub();
        for (int i = 1; i < c.argc(); i++) {
            ps.subscribe(c.client(), kind, new ByteKey(c.arg(i)));
            confirmation(c.reply(), verb, c.arg(i), count(c.client(), kind));
        }
    }

    private void unsubscribe(CommandContext c, Kind kind, String verb) {
        PubSub ps = c.server().pubsub();
        Client client = c.client();
        List<ByteKey> names = new ArrayList<>();
        if (c.argc() == 1) {
            names.addAll(client.subscriptionNames(kind));
        } else {
            for (int i = 1; i < c.argc(); i++) {
                names.add(new ByteKey(c.arg(i)));
            }
        }
        if (names.isEmpty()) {
            confirmation(c.reply(), verb, null, count(client, kind));
            return;
        }
        for (ByteKey n : names) {
            ps.unsubscribe(client, kind, n);
            confirmation(c.reply(), verb, n.bytes(), count(client, kind));
        }
    }

    private static void confirmation(Reply r, String verb, byte[] name, int count) {
        r.push(3);
        r.bulk(verb);
        r.bulk(name);
        r.integer(count);
    }

    private void channels(CommandContext c, boolean shard) {
        if (c.argc() > 3) {
            throw Help.subcommandSyntax(c);
        }
        List<byte[]> names = c.server().pubsub().activeChannels(c.argc() == 3 ? c.arg(2) : null, shard);
        c.reply().array(names.size());
        for (byte[] n : names) {
            c.reply().bulk(n);
        }
    }

    private void numsub(CommandContext c, boolean shard) {
        c.reply().map(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            c.reply().bulk(c.arg(i));
            c.reply().integer(c.server().pubsub().subscriberCount(c.arg(i), shard));
        }
    }

    private void help(CommandContext c) {
        Help.reply(c, "PUBSUB",
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)");
    }
}
