package dev.keydb.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The number formats of geo replies: C's "%.4f" and "%.17Lf" minus trailing zeros, as glibc prints them. */
class GeoFormatTest {
    @Test
    void fastFourDecimalsAgreeWithExactRounding() {
        Random rnd = new Random(17);
        for (int i = 0; i < 200_000; i++) {
            double d = switch (i % 4) {
                case 0 -> rnd.nextDouble() * 2e7;
                case 1 -> rnd.nextDouble() * 10;
                case 2 -> (rnd.nextInt(2_000_000) + 0.5) / 1e4; // near the ties
                default -> Math.scalb((double) rnd.nextInt(1 << 20), -rnd.nextInt(30)); // exact binary fractions: real ties
            };
            if (rnd.nextInt(10) == 0) {
                d = -d;
            }
            assertThat(GeoCommands.fixed4(d)).as("%s", d).isEqualTo(GeoCommands.fixed(d, 4));
        }
        assertThat(GeoCommands.fixed4(1.03125)).isEqualTo("1.0312");
        assertThat(GeoCommands.fixed4(1.09375)).isEqualTo("1.0938");
        assertThat(GeoCommands.fixed4(0)).isEqualTo("0.0000");
        assertThat(GeoCommands.fixed4(-0.0)).isEqualTo("-0.0000");
        assertThat(GeoCommands.fixed4(166274.15156960033)).isEqualTo("166274.1516");
    }

    @Test
    void humanLongDouble() {
        assertThat(GeoCommands.human(13.361389338970184)).isEqualTo("13.36138933897018433");
        assertThat(GeoCommands.human(180)).isEqualTo("180");
        assertThat(GeoCommands.human(-0.0)).isEqualTo("0");
        assertThat(GeoCommands.human(2.682209014892578e-6)).isEqualTo("0.00000268220901489");
        assertThat(GeoCommands.fixed(-0.0, 6)).isEqualTo("-0.000000");
        assertThat(GeoCommands.fixed(200, 6)).isEqualTo("200.000000");
    }
}
