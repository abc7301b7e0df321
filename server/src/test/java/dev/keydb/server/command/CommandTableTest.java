package dev.keydb.server.command;

import static dev.keydb.server.command.CommandSpec.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The declarative command table: lookup, arity, key positions, derived ACL categories. */
class CommandTableTest {
    private static final CommandHandler NOOP = c -> { };

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void lookupIsCaseInsensitiveOverRawBytesAndSurvivesGrowth() {
        CommandTable t = new CommandTable();
        for (int i = 0; i < 600; i++) {
            t.add(command("cmd" + i, 1).run(NOOP));
        }
        t.add(command("get", 2).flags(CommandFlag.READONLY, CommandFlag.FAST).keys(1, 1, 1).run(NOOP));
        assertThat(t.lookup(b("GET")).name()).isEqualTo("get");
        assertThat(t.lookup(b("gEt")).name()).isEqualTo("get");
        assertThat(t.lookup(b("CMD599")).name()).isEqualTo("cmd599");
        assertThat(t.lookup(b("ge"))).isNull();
        assertThat(t.lookup(b("gett"))).isNull();
        assertThat(t.size()).isEqualTo(601);
    }

    @Test
    void aCommandIsDeclaredOnce() {
        CommandTable t = new CommandTable();
        t.add(command("get", 2).run(NOOP));
        assertThatThrownBy(() -> t.add(command("GET", 2).run(NOOP))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void arityFollowsRedisConvention() {
        CommandSpec fixed = command("get", 2).run(NOOP).build();
        CommandSpec atLeast = command("mget", -2).run(NOOP).build();
        assertThat(fixed.arityAccepts(2)).isTrue();
        assertThat(fixed.arityAccepts(3)).isFalse();
        assertThat(atLeast.arityAccepts(1)).isFalse();
        assertThat(atLeast.arityAccepts(2)).isTrue();
        assertThat(atLeast.arityAccepts(50)).isTrue();
    }

    @Test
    void keyPositionsFromFirstLastStepOrFinder() {
        CommandSpec mset = command("mset", -3).keys(1, -1, 2).run(NOOP).build();
        assertThat(mset.keyPositions(new byte[][] {b("mset"), b("a"), b("1"), b("b"), b("2")})).containsExactly(1, 3);
        CommandSpec blpop = command("blpop", -3).keys(1, -2, 1).run(NOOP).build();
        assertThat(blpop.keyPositions(new byte[][] {b("blpop"), b("a"), b("b"), b("0")})).containsExactly(1, 2);
        CommandSpec keyless = command("ping", -1).run(NOOP).build();
        assertThat(keyless.keyPositions(new byte[][] {b("ping")})).isEmpty();
        CommandSpec movable = command("eval", -3).movableKeys(argv -> new int[] {3}).run(NOOP).build();
        assertThat(movable.keyPositions(new byte[][] {b("eval"), b("s"), b("1"), b("k")})).containsExactly(3);
        assertThat(movable.has(CommandFlag.MOVABLEKEYS)).isTrue();
    }

    @Test
    void aclCategoriesAreDerivedFromFlagsAsRedisDoes() {
        CommandSpec get = command("get", 2).flags(CommandFlag.READONLY, CommandFlag.FAST).acl("string").run(NOOP).build();
        assertThat(get.aclCategories()).containsExactly("read", "fast", "string");
        CommandSpec flush = command("flushall", -1).flags(CommandFlag.WRITE, CommandFlag.ADMIN).acl("keyspace").run(NOOP).build();
        assertThat(flush.aclCategories()).containsExactly("write", "admin", "dangerous", "keyspace", "slow");
    }

    @Test
    void subcommandsHaveFullNamesAndInheritTheGroup() {
        CommandSpec config = command("config", -2).group("server")
                .sub(command("get", -3).run(NOOP))
                .sub(command("set", -4).run(NOOP)).build();
        assertThat(config.subcommands()).containsOnlyKeys("get", "set");
        CommandSpec get = config.subcommands().get("get");
        assertThat(get.fullName()).isEqualTo("config|get");
        assertThat(get.group()).isEqualTo("server");
        assertThat(get.parent()).isSameAs(config);
    }
}
