package dev.keydb.server.commands;

import static dev.keydb.server.command.CommandFlag.FAST;
import static dev.keydb.server.command.CommandFlag.READONLY;
import static dev.keydb.server.command.CommandSpec.command;

import dev.keydb.server.Server;
import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandError;
import dev.keydb.server.command.CommandFamily;
import dev.keydb.server.command.CommandTable;
import dev.keydb.storage.Numbers;
import java.util.concurrent.ThreadLocalRandom;

/**
 * LOLWUT [VERSION v] (Redis's lolwut.c). Redis 7.0 has no art of its own: without VERSION (or
 * with a version it has no art for) it prints the version line alone. VERSION 5 draws Georg
 * Nees's "Schotter" (1968) in Braille characters as lolwut5.c does, with the optional columns,
 * squares per row and squares per column. VERSION 6's 8-bit landscape is not drawn here and
 * answers an error instead of something that is not it.
 */
public final class LolwutCommand implements CommandFamily {
    @Override
    public void register(CommandTable t) {
        t.add(command("lolwut", -1).flags(READONLY, FAST).group("server")
                .doc("5.0.0", null, "Display some computer art and the Redis version").run(this::lolwut));
    }

    private void lolwut(CommandContext c) {
        long version = 7;
        int first = 1;
        if (c.argc() >= 3 && c.argIs(1, "version")) {
            Long v = Numbers.parseLongOrNull(c.arg(2));
            if (v == null) {
                throw CommandError.NOT_INTEGER;
            }
            version = v & 0xFFFFFFFFL; // Redis formats it as "%u.0.0"
            first = 3;
        }
        if (version == 5) {
            schotter(c, first);
        } else if (version == 6) {
            throw new CommandError("ERR LOLWUT VERSION 6 (the 8-bit landscape) is not implemented in this server; try VERSION 5");
        } else {
            c.reply().verbatim("Redis ver. " + Server.VERSION + "\n");
        }
    }

    private void schotter(CommandContext c, int first) {
        long[] params = {66, 8, 12};
        long[][] limits = {{1, 1000}, {1, 200}, {1, 200}};
        for (int i = 0; i < 3 && first + i < c.argc(); i++) {
            Long v = Numbers.parseLongOrNull(c.arg(first + i));
            if (v == null) {
                throw CommandError.NOT_INTEGER;
            }
            params[i] = Math.max(limits[i][0], Math.min(limits[i][1], v));
        }
        Canvas canvas = drawSchotter((int) params[0], (int) params[1], (int) params[2]);
        c.reply().verbatim(canvas.render() + "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. " + Server.VERSION + "\n");
    }

    /** lwDrawSchotter: squares rotated and shifted more and more as the rows go down. */
    static Canvas drawSchotter(int consoleCols, int squaresPerRow, int squaresPerCol) {
        int canvasWidth = consoleCols * 2;
        int padding = canvasWidth > 4 ? 2 : 0;
        float squareSide = (float) (canvasWidth - padding * 2) / squaresPerRow;
        int canvasHeight = (int) (squareSide * squaresPerCol + padding * 2);
        Canvas canvas = new Canvas(canvasWidth, canvasHeight);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int y = 0; y < squaresPerCol; y++) {
            for (int x = 0; x < squaresPerRow; x++) {
                int sx = (int) (x * squareSide + squareSide / 2 + padding);
                int sy = (int) (y * squareSide + squareSide / 2 + padding);
                float angle = 0;
                if (y > 1) {
                    float r1 = rnd.nextFloat() / squaresPerCol * y;
                    float r2 = rnd.nextFloat() / squaresPerCol * y;
                    float r3 = rnd.nextFloat() / squaresPerCol * y;
                    if (rnd.nextBoolean()) {
                        r1 = -r1;
                    }
                    if (rnd.nextBoolean()) {
                        r2 = -r2;
                    }
                    if (rnd.nextBoolean()) {
                        r3 = -r3;
                    }
                    angle = r1;
                    sx = (int) (sx + r2 * squareSide / 3);
                    sy = (int) (sy + r3 * squareSide / 3);
                }
                canvas.square(sx, sy, squareSide, angle);
            }
        }
        return canvas;
    }

    /** A monochrome pixel canvas rendered as Braille characters, 2x4 pixels each (lolwut.c). */
    static final class Canvas {
        final int width, height;
        private final boolean[] pixels;

        Canvas(int width, int height) {
            this.width = width;
            this.height = height;
            this.pixels = new boolean[width * height];
        }

        void pixel(int x, int y) {
            if (x >= 0 && x < width && y >= 0 && y < height) {
                pixels[x + y * width] = true;
            }
        }

        boolean get(int x, int y) {
            return x >= 0 && x < width && y >= 0 && y < height && pixels[x + y * width];
        }

        /** Bresenham, as lwDrawLine. */
        void line(int x1, int y1, int x2, int y2) {
            int dx = Math.abs(x2 - x1), dy = Math.abs(y2 - y1);
            int sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1;
            int err = dx - dy;
            while (true) {
                pixel(x1, y1);
                if (x1 == x2 && y1 == y2) {
                    break;
                }
                int e2 = err * 2;
                if (e2 > -dy) {
                    err -= dy;
                    x1 += sx;
                }
                if (e2 < dx) {
                    err += dx;
                    y1 += sy;
                }
            }
        }

        /** lwDrawSquare: a square of side {@code size} centred on (x, y), rotated by {@code angle}. */
        void square(int x, int y, float size, float angle) {
            int[] px = new int[4], py = new int[4];
            size = (float) cRound(size / 1.4142135623f);
            float k = (float) (Math.PI / 4 + angle);
            for (int j = 0; j < 4; j++) {
                px[j] = (int) cRound(Math.sin(k) * size + x);
                py[j] = (int) cRound(Math.cos(k) * size + y);
                k += (float) (Math.PI / 2);
            }
            for (int j = 0; j < 4; j++) {
                line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4]);
            }
        }

        /** C's round(): halves away from zero. */
        private static double cRound(double v) {
            return Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
        }

        /** renderCanvas: each 2x4 block becomes the Braille character U+2800 + its dot bits. */
        String render() {
            StringBuilder text = new StringBuilder();
            for (int y = 0; y < height; y += 4) {
                for (int x = 0; x < width; x += 2) {
                    int bits = 0;
                    if (get(x, y)) {
                        bits |= 1;
                    }
                    if (get(x, y + 1)) {
                        bits |= 1 << 1;
                    }
                    if (get(x, y + 2)) {
                        bits |= 1 << 2;
                    }
                    if (get(x + 1, y)) {
                        bits |= 1 << 3;
                    }
                    if (get(x + 1, y + 1)) {
                        bits |= 1 << 4;
                    }
                    if (get(x + 1, y + 2)) {
                        bits |= 1 << 5;
                    }
                    if (get(x, y + 3)) {
                        bits |= 1 << 6;
                    }
                    if (get(x + 1, y + 3)) {
                        bits |= 1 << 7;
                    }
                    text.append((char) (0x2800 + bits));
                }
                if (y != height - 1) {
                    text.append('\n');
                }
            }
            return text.toString();
        }
    }
}
