package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LOLWUT VERSION 6 (lolwut6.c's skyline): random art, so the structure is compared with a real redis-server's. */
class LolwutSkylineTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static final String CELL = "\u001b\\[0;(30;40|90;100|37;47|97;107)m \u001b\\[0m";

    /** The art lines of a RESP2 LOLWUT reply, after checking its footer. */
    private static String[] art(String raw, int cols, int rows) {
        String text = (String) RespValue.parse(raw);
        String footer = "\nDedicated to the 8 bit game developers of past and present.\n"
                + "Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n";
        assertThat(text).endsWith(footer);
        String[] lines = text.substring(0, text.length() - footer.length()).split("\n", -1);
        assertThat(lines).hasSize(rows);
        Pattern line = Pattern.compile("(" + CELL + "){" + cols + "}");
        for (String l : lines) {
            assertThat(line.matcher(l).matches()).as(l).isTrue();
        }
        return lines;
    }

    @Test
    void skylineHasRedisShapeAndPalette() throws Exception {
        try (RealRedis redis = RealRedis.start();
             RawConnection real = new RawConnection(redis.port());
             RawConnection ours = new RawConnection(server.port())) {
            for (String[] size : new String[][] {{"40", "10"}, {"80", "20"}, {"3", "7"}}) {
                int cols = Integer.parseInt(size[0]), rows = Integer.parseInt(size[1]);
                art(real.call("LOLWUT", "VERSION", "6", size[0], size[1]), cols, rows);
                String[] lines = art(ours.call("LOLWUT", "VERSION", "6", size[0], size[1]), cols, rows);
                if (cols >= 40) {
                    // Buildings stand on the ground: the bottom row is not all white sky.
                    assertThat(lines[rows - 1]).containsPattern("0;(30;40|90;100|37;47)m");
                }
            }
            art(ours.call("LOLWUT", "VERSION", "6"), 80, 20);
            art(real.call("LOLWUT", "VERSION", "6"), 80, 20);
        }
    }
}
