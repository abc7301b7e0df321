package dev.keydb.server.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keydb.server.RawConnection;
import dev.keydb.server.RealRedis;
import dev.keydb.server.TestServer;
import dev.keydb.server.resp.RequestParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests: every script under {@code src/test/resources/differential/*.redis} runs
 * against a real redis-server and against our server, and each command must get the same
 * raw RESP reply from both. See {@link Script} for the script syntax.
 */
class DifferentialTest {
    private static RealRedis redis;
    private static TestServer ours;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        ours = TestServer.start("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (ours != null) {
            ours.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException, URISyntaxException {
        URL dir = DifferentialTest.class.getResource("/differential");
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(dir.toURI()))) {
            files = s.filter(p -> p.toString().endsWith(".redis")).sorted().toList();
        }
        assertThat(files).as("differential scripts").isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    private void run(Path file) throws IOException {
        Script script = Script.parse(Files.readString(file, StandardCharsets.UTF_8));
        try (RawConnection a = new RawConnection(redis.port()); RawConnection b = new RawConnection(ours.port())) {
            for (RawConnection each : List.of(a, b)) {
                // What a script may have changed and not restored (it stopped at a difference).
                each.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction");
                each.call("FLUSHALL");
            }
            for (Script.Step step : script.steps()) {
                String expected = step.normalize(call(a, step.args()));
                String actual = step.normalize(call(b, step.args()));
                assertThat(actual).as("%s line %d: %s", file.getFileName(), step.line(), String.join(" ", step.args()))
                        .isEqualTo(expected);
            }
        }
    }

    private static String call(RawConnection c, List<String> args) throws IOException {
        return c.call(args.toArray(String[]::new));
    }

    /** Counts the distinct commands the scripts exercise (reported by the suite). */
    static int invocationCount(List<Script> scripts) {
        return scripts.stream().mapToInt(s -> s.steps().size()).sum();
    }

    /**
     * A script: one command per line, words split and quoted as redis-cli/redis.conf
     * (double quotes with \n \xHH escapes, single quotes). Blank lines and lines starting with
     * '#' are ignored. A line may start with a directive that relaxes the comparison:
     * <ul>
     *   <li>{@code @sort} — the reply is an array whose elements are compared as a multiset
     *       (SMEMBERS, HKEYS: orders differ between implementations);</li>
     *   <li>{@code @type} — only the reply's type and, for aggregates, its length are compared
     *       (SPOP, RANDOMKEY: random by design);</li>
     *   <li>{@code @error} — only "is an error, and its first word" is compared.</li>
     * </ul>
     */
    record Script(List<Step> steps) {
        static Script parse(String text) {
            List<Step> steps = new ArrayList<>();
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String mode = "";
                if (line.startsWith("@")) {
                    int sp = line.indexOf(' ');
                    mode = line.substring(1, sp);
                    line = line.substring(sp + 1).strip();
                }
                List<byte[]> words = RequestParser.splitArgs(line.getBytes(StandardCharsets.UTF_8));
                if (words == null || words.isEmpty()) {
                    throw new IllegalArgumentException("bad script line " + (i + 1) + ": " + lines[i]);
                }
                List<String> args = words.stream().map(w -> new String(w, StandardCharsets.UTF_8)).toList();
                steps.add(new Step(i + 1, args, mode));
            }
            return new Script(steps);
        }

        record Step(int line, List<String> args, String mode) {
            String normalize(String reply) {
                return switch (mode) {
                    case "" -> reply;
                    case "sort" -> Resp.sortTopLevel(reply);
                    case "type" -> Resp.shape(reply);
                    case "error" -> reply.startsWith("-") ? reply.split("[ \r]", 2)[0] : reply;
                    default -> throw new IllegalArgumentException("unknown directive @" + mode + " at line " + line);
                };
            }
        }
    }
}
