package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;

/** Jedis, as shipped, in RESP2 and RESP3 (HELLO 3 on connect). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JedisTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static Jedis connect(RedisProtocol protocol) {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .protocol(protocol)
                .connectionTimeoutMillis(5000)
                .socketTimeoutMillis(5000)
                .build();
        Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()), config);
        jedis.flushDB();
        return jedis;
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void strings(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(jedis.echo("héllo")).isEqualTo("héllo");
            assertThat(jedis.set("k", "v")).isEqualTo("OK");
            assertThat(jedis.get("k")).isEqualTo("v");
            assertThat(jedis.get("missing")).isNull();
            assertThat(jedis.set("k", "w", SetParams.setParams().nx())).isNull();
            assertThat(jedis.setGet("k", "w")).isEqualTo("v");
            assertThat(jedis.incr("n")).isEqualTo(1);
            assertThat(jedis.incrBy("n", 41)).isEqualTo(42);
            assertThat(jedis.decr("n")).isEqualTo(41);
            assertThat(jedis.incrByFloat("f", 1.5)).isEqualTo(1.5);
            assertThat(jedis.append("k", "x")).isEqualTo(2);
            assertThat(jedis.strlen("k")).isEqualTo(2);
            assertThat(jedis.mset("a", "1", "b", "2", "c", "3")).isEqualTo("OK");
            assertThat(jedis.mget("a", "b", "nope", "c")).containsExactly("1", "2", null, "3");
            assertThat(jedis.msetnx("a", "9", "z", "9")).isZero();
            assertThat(jedis.getEx("a", GetExParams.getExParams().ex(100))).isEqualTo("1");
            assertThat(jedis.getEx("a", GetExParams.getExParams().persist())).isEqualTo("1");
            assertThat(jedis.getEx("nope", GetExParams.getExParams().px(100))).isNull();
            assertThat(jedis.getDel("b")).isEqualTo("2");
            assertThat(jedis.exists("a", "b", "c")).isEqualTo(2);
            assertThat(jedis.type("a")).isEqualTo("string");
            assertThat(jedis.del("a", "c")).isEqualTo(2);
            assertThat(jedis.dbSize()).isEqualTo(3); // k, n, f
            assertThatThrownBy(() -> jedis.incr("k")).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR value is not an integer or out of range");
            // The connection is still usable after an error reply.
            assertThat(jedis.get("n")).isEqualTo("41");
        }
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void binaryValues(RedisProtocol protocol) {
        byte[] key = {0, 1, '\r', '\n', (byte) 0xff};
        byte[] value = new byte[70_000];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        try (Jedis jedis = connect(protocol)) {
            assertThat(jedis.set(key, value)).isEqualTo("OK");
            assertThat(jedis.get(key)).isEqualTo(value);
            assertThat(jedis.getrange(key, 1, 3)).containsExactly(value[1], value[2], value[3]);
        }
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void lcs(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            jedis.mset("key1", "ohmytext", "key2", "mynewtext");
            assertThat(jedis.lcs("key1", "key2", LCSParams.LCSParams()).getMatchString()).isEqualTo("mytext");
            assertThat(jedis.lcs("key1", "key2", LCSParams.LCSParams().len()).getLen()).isEqualTo(6);
            LCSMatchResult idx = jedis.lcs("key1", "key2", LCSParams.LCSParams().idx().withMatchLen());
            assertThat(idx.getLen()).isEqualTo(6);
            assertThat(idx.getMatches()).hasSize(2);
            LCSMatchResult.MatchedPosition first = idx.getMatches().get(0);
            assertThat(first.getA().getStart()).isEqualTo(4);
            assertThat(first.getA().getEnd()).isEqualTo(7);
            assertThat(first.getB().getStart()).isEqualTo(5);
            assertThat(first.getB().getEnd()).isEqualTo(8);
            assertThat(first.getMatchLen()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void pipelineOfAThousandCommands(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            Pipeline p = jedis.pipelined();
            List<Response<?>> responses = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                switch (i % 4) {
                    case 0 -> responses.add(p.set("key:" + i, "value:" + i));
                    case 1 -> responses.add(p.incr("counter"));
                    case 2 -> responses.add(p.get("key:" + (i - 2)));
                    default -> responses.add(p.get("missing:" + i));
                }
            }
            p.sync();
            long counter = 0;
            for (int i = 0; i < 1000; i++) {
                Object expected = switch (i % 4) {
                    case 0 -> "OK";
                    case 1 -> ++counter;
                    case 2 -> "value:" + (i - 2);
                    default -> null;
                };
                assertThat(responses.get(i).get()).as("response %d", i).isEqualTo(expected);
            }
            assertThat(jedis.dbSize()).isEqualTo(251);
        }
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void selectAndFlush(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            jedis.set("k", "db0");
            assertThat(jedis.select(1)).isEqualTo("OK");
            assertThat(jedis.get("k")).isNull();
            jedis.set("k", "db1");
            assertThat(jedis.dbSize()).isEqualTo(1);
            assertThat(jedis.flushDB()).isEqualTo("OK");
            jedis.select(0);
            assertThat(jedis.get("k")).isEqualTo("db0");
        }
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void authenticatedConnection(RedisProtocol protocol) {
        try (TestServer secured = TestServer.start("--requirepass", "pw")) {
            HostAndPort address = new HostAndPort("127.0.0.1", secured.port());
            // A fresh builder per config: Jedis's builder keeps the first credentials it built.
            try (Jedis jedis = new Jedis(address, DefaultJedisClientConfig.builder().protocol(protocol)
                    .connectionTimeoutMillis(5000).socketTimeoutMillis(5000).password("pw").build())) {
                assertThat(jedis.set("k", "v")).isEqualTo("OK");
                assertThat(jedis.get("k")).isEqualTo("v");
            }
            assertThatThrownBy(() -> {
                try (Jedis jedis = new Jedis(address, DefaultJedisClientConfig.builder().protocol(protocol)
                        .connectionTimeoutMillis(5000).socketTimeoutMillis(5000).password("wrong").build())) {
                    jedis.ping();
                }
            }).hasMessageContaining("WRONGPASS");
        }
    }
}
