package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lettuce in RESP2 and RESP3. With RESP3 it opens with HELLO 3; with RESP2 with PING; then it
 * sends CLIENT SETINFO and CLIENT MAINT_NOTIFICATIONS and ignores their errors.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LettuceTest {
    static TestServer server;
    static final List<RedisClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        for (RedisClient c : clients) {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        server.close();
    }

    static RedisClient client(int port, ProtocolVersion protocol, String password) {
        RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(5));
        if (password != null) {
            uri.withPassword(password.toCharArray());
        }
        RedisClient client = RedisClient.create(uri.build());
        ClientOptions.Builder options = ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                .autoReconnect(false);
        if (protocol != null) {
            options.protocolVersion(protocol);
        }
        client.setOptions(options.build());
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    static StatefulRedisConnection<String, String> connect(ProtocolVersion protocol) {
        StatefulRedisConnection<String, String> conn = client(server.port(), protocol, null).connect();
        conn.sync().flushdb();
        return conn;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void syncApi(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
            RedisCommands<String, String> r = conn.sync();
            assertThat(r.ping()).isEqualTo("PONG");
            assertThat(r.echo("x y")).isEqualTo("x y");
            assertThat(r.set("k", "v")).isEqualTo("OK");
            assertThat(r.get("k")).isEqualTo("v");
            assertThat(r.get("missing")).isNull();
            assertThat(r.set("k", "w", SetArgs.Builder.nx())).isNull();
            assertThat(r.setGet("k", "w")).isEqualTo("v");
            assertThat(r.incr("n")).isEqualTo(1);
            assertThat(r.incrby("n", 9)).isEqualTo(10);
            assertThat(r.incrbyfloat("f", 0.5)).isEqualTo(0.5);
            assertThat(r.mset(Map.of("a", "1", "b", "2"))).isEqualTo("OK");
            assertThat(r.mget("a", "missing", "b")).containsExactly(KeyValue.just("a", "1"), KeyValue.empty("missing"),
                    KeyValue.just("b", "2"));
            assertThat(r.getex("a", new GetExArgs().ex(100))).isEqualTo("1");
            assertThat(r.getex("a", new GetExArgs().persist())).isEqualTo("1");
            assertThat(r.getdel("b")).isEqualTo("2");
            assertThat(r.append("a", "23")).isEqualTo(3);
            assertThat(r.getrange("a", 1, -1)).isEqualTo("23");
            assertThat(r.exists("a", "b", "k")).isEqualTo(2);
            assertThat(r.type("a")).isEqualTo("string");
            assertThat(r.del("a")).isEqualTo(1);
            assertThat(r.dbsize()).isEqualTo(3);
            assertThatThrownBy(() -> r.incr("k")).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("ERR value is not an integer or out of range");
            assertThat(r.get("n")).isEqualTo("10");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void asyncApi(ProtocolVersion protocol) throws Exception {
        try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
            RedisAsyncCommands<String, String> a = conn.async();
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                futures.add(a.set("key" + i, "value" + i));
                futures.add(a.incr("counter"));
            }
            assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(10), futures.toArray(new RedisFuture[0]))).isTrue();
            for (int i = 0; i < futures.size(); i += 2) {
                assertThat(futures.get(i).get()).isEqualTo("OK");
                assertThat(futures.get(i + 1).get()).isEqualTo((long) (i / 2 + 1));
            }
            assertThat(a.get("key499").get(5, TimeUnit.SECONDS)).isEqualTo("value499");
            assertThat(a.get("missing").get(5, TimeUnit.SECONDS)).isNull();
            assertThat(a.dbsize().get(5, TimeUnit.SECONDS)).isEqualTo(501);
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void manualFlushPipeline(ProtocolVersion protocol) throws Exception {
        try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
            RedisAsyncCommands<String, String> a = conn.async();
            conn.setAutoFlushCommands(false);
            List<RedisFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                a.set("p" + i, Integer.toString(i));
                gets.add(a.get("p" + i));
            }
            conn.flushCommands();
            assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(10), gets.toArray(new RedisFuture[0]))).isTrue();
            for (int i = 0; i < 1000; i++) {
                assertThat(gets.get(i).get()).isEqualTo(Integer.toString(i));
            }
            conn.setAutoFlushCommands(true);
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void binaryCodec(ProtocolVersion protocol) {
        byte[] key = {'\r', '\n', 0, (byte) 0x80};
        byte[] value = new byte[100_000];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i ^ (i >> 8));
        }
        try (StatefulRedisConnection<byte[], byte[]> conn = client(server.port(), protocol, null).connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> r = conn.sync();
            assertThat(r.set(key, value)).isEqualTo("OK");
            assertThat(r.get(key)).isEqualTo(value);
            assertThat(r.strlen(key)).isEqualTo(value.length);
        }
    }

    @Test
    void defaultProtocolNegotiatesResp3WithHello() {
        long hellos = server.server().commands().lookup("hello".getBytes()).calls();
        try (StatefulRedisConnection<String, String> conn = connect(null)) {
            assertThat(conn.sync().ping()).isEqualTo("PONG");
            assertThat(conn.sync().get("missing")).isNull();
        }
        assertThat(server.server().commands().lookup("hello".getBytes()).calls()).isEqualTo(hellos + 1);
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void password(ProtocolVersion protocol) {
        try (TestServer secured = TestServer.start("--requirepass", "pw")) {
            try (StatefulRedisConnection<String, String> conn = client(secured.port(), protocol, "pw").connect()) {
                assertThat(conn.sync().set("k", "v")).isEqualTo("OK");
                assertThat(conn.sync().get("k")).isEqualTo("v");
            }
            // Lettuce reports the failed handshake either with the server's WRONGPASS or, when it
            // tears the channel down first, as a premature close; either way no connection is made.
            assertThatThrownBy(() -> client(secured.port(), protocol, "wrong").connect().close())
                    .isInstanceOf(RedisConnectionException.class);
        }
    }
}
