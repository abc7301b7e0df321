package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamInfo;
import redis.clients.jedis.resps.StreamPendingSummary;

/** Streams through Jedis in RESP2 and RESP3: the client parses every reply shape (XREAD maps, XINFO maps). */
class StreamClientsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void jedisStreams(RedisProtocol protocol) {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().protocol(protocol)
                .connectionTimeoutMillis(5000).socketTimeoutMillis(5000).build();
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()), config)) {
            jedis.flushDB();
            StreamEntryID first = jedis.xadd("s", new StreamEntryID(1, 1), Map.of("f", "v1"));
            assertThat(first).isEqualTo(new StreamEntryID(1, 1));
            jedis.xadd("s", new StreamEntryID(2, 1), Map.of("f", "v2"));
            StreamEntryID auto = jedis.xadd("s", XAddParams.xAddParams().maxLen(10), Map.of("f", "v3"));
            assertThat(auto.getTime()).isGreaterThan(2);
            assertThat(jedis.xlen("s")).isEqualTo(3);
            List<StreamEntry> range = jedis.xrange("s", (StreamEntryID) null, (StreamEntryID) null);
            assertThat(range).hasSize(3);
            assertThat(range.get(1).getFields()).containsEntry("f", "v2");

            List<Map.Entry<String, List<StreamEntry>>> read = jedis.xread(XReadParams.xReadParams().count(2),
                    Map.of("s", new StreamEntryID(0, 0)));
            assertThat(read).hasSize(1);
            assertThat(read.get(0).getKey()).isEqualTo("s");
            assertThat(read.get(0).getValue()).hasSize(2);

            assertThat(jedis.xgroupCreate("s", "g", new StreamEntryID(0, 0), false)).isEqualTo("OK");
            List<Map.Entry<String, List<StreamEntry>>> got = jedis.xreadGroup("g", "alice",
                    XReadGroupParams.xReadGroupParams().count(2), Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            assertThat(got.get(0).getValue()).extracting(e -> e.getID().toString()).containsExactly("1-1", "2-1");

            StreamPendingSummary pending = jedis.xpending("s", "g");
            assertThat(pending.getTotal()).isEqualTo(2);
            assertThat(pending.getConsumerMessageCount()).containsEntry("alice", 2L);
            assertThat(jedis.xack("s", "g", new StreamEntryID(1, 1))).isEqualTo(1);

            StreamInfo info = jedis.xinfoStream("s");
            assertThat(info.getLength()).isEqualTo(3);
            assertThat(info.getGroups()).isEqualTo(1);
            assertThat(info.getFirstEntry().getID()).isEqualTo(new StreamEntryID(1, 1));

            List<StreamGroupInfo> groups = jedis.xinfoGroups("s");
            assertThat(groups).hasSize(1);
            assertThat(groups.get(0).getName()).isEqualTo("g");
            assertThat(groups.get(0).getPending()).isEqualTo(1);
            assertThat(groups.get(0).getLastDeliveredId()).isEqualTo(new StreamEntryID(2, 1));

            assertThat(jedis.xdel("s", new StreamEntryID(2, 1))).isEqualTo(1);
            assertThat(jedis.xtrim("s", 0, false)).isEqualTo(2);
            assertThat(jedis.xlen("s")).isZero();
        }
    }
}
