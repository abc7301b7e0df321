package dev.keydb.server.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AofManifestTest {
    @Test
    void parsesWhatRedisWrites() throws IOException {
        AofManifest m = AofManifest.parse("appendonly.aof", """
                file appendonly.aof.2.base.rdb seq 2 type b
                file appendonly.aof.1.incr.aof seq 1 type h
                file appendonly.aof.3.incr.aof seq 3 type i
                file appendonly.aof.4.incr.aof seq 4 type i
                """);
        assertThat(m.base()).isEqualTo(new AofManifest.Entry("appendonly.aof.2.base.rdb", 2, 'b'));
        assertThat(m.incrs()).extracting(AofManifest.Entry::seq).containsExactly(3L, 4L);
        assertThat(m.history()).extracting(AofManifest.Entry::name).containsExactly("appendonly.aof.1.incr.aof");
        assertThat(m.loadOrder()).extracting(AofManifest.Entry::name)
                .containsExactly("appendonly.aof.2.base.rdb", "appendonly.aof.3.incr.aof", "appendonly.aof.4.incr.aof");
        assertThat(m.nextIncr().name()).isEqualTo("appendonly.aof.5.incr.aof");
        assertThat(m.nextBase(true).name()).isEqualTo("appendonly.aof.3.base.rdb");
        assertThat(m.nextBase(false).name()).isEqualTo("appendonly.aof.3.base.aof");
    }

    @Test
    void formatRoundTripsInRedisOrder() throws IOException {
        AofManifest m = new AofManifest("appendonly.aof", new AofManifest.Entry("appendonly.aof.1.base.rdb", 1, 'b'),
                List.of(new AofManifest.Entry("appendonly.aof.1.incr.aof", 1, 'i')),
                List.of(new AofManifest.Entry("old file.aof", 7, 'h')));
        String text = m.format();
        assertThat(text).isEqualTo("file appendonly.aof.1.base.rdb seq 1 type b\n"
                + "file \"old file.aof\" seq 7 type h\n"
                + "file appendonly.aof.1.incr.aof seq 1 type i\n");
        AofManifest back = AofManifest.parse("appendonly.aof", text);
        assertThat(back.format()).isEqualTo(text);
        assertThat(back.history().get(0).name()).isEqualTo("old file.aof");
    }

    @Test
    void rewriteMovesOldFilesToHistory() {
        AofManifest m = new AofManifest("a", new AofManifest.Entry("a.1.base.rdb", 1, 'b'),
                List.of(new AofManifest.Entry("a.1.incr.aof", 1, 'i'), new AofManifest.Entry("a.2.incr.aof", 2, 'i')), List.of());
        AofManifest r = m.rewritten(m.nextBase(true), 2);
        assertThat(r.base().name()).isEqualTo("a.2.base.rdb");
        assertThat(r.incrs()).extracting(AofManifest.Entry::name).containsExactly("a.2.incr.aof");
        assertThat(r.history()).extracting(AofManifest.Entry::name).containsExactly("a.1.base.rdb", "a.1.incr.aof");
        assertThat(r.withoutHistory().history()).isEmpty();
    }

    @Test
    void commentsAndUnknownKeysAreSkipped() throws IOException {
        AofManifest m = AofManifest.parse("a", "# comment\nfile a.1.incr.aof seq 1 type i future x\n");
        assertThat(m.base()).isNull();
        assertThat(m.incrs()).hasSize(1);
    }

    @Test
    void rejectsBadManifests() {
        assertThatThrownBy(() -> AofManifest.parse("a", "")).hasMessageContaining("empty");
        assertThatThrownBy(() -> AofManifest.parse("a", "file a seq 1\n")).hasMessageContaining("Invalid");
        assertThatThrownBy(() -> AofManifest.parse("a", "file a seq x type i\n")).hasMessageContaining("Invalid");
        assertThatThrownBy(() -> AofManifest.parse("a", "file a seq 1 type z\n")).hasMessage("Unknown AOF file type"); // Redis's text
        assertThatThrownBy(() -> AofManifest.parse("a", "file a seq 1 type b\nfile b seq 2 type b\n")).hasMessageContaining("duplicate base");
        assertThatThrownBy(() -> AofManifest.parse("a", "file a seq 2 type i\nfile b seq 1 type i\n")).hasMessageContaining("non-monotonic");
        assertThatThrownBy(() -> AofManifest.parse("a", "file \"a seq 1 type i\n")).hasMessageContaining("Invalid");
    }
}
