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
 * squares per row and squares per column. VERSION 6 draws lolwut6.c's skyline of 8-bit game
 * skyscrapers in the four grays of a color terminal, with the optional columns and rows.
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
            skyline(c, first);
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

    /** lolwut6Command: LOLWUT [columns] [rows], 80x20 by default, each clamped to 1..1000. */
    private void skyline(CommandContext c, int first) {
        long[] params = {80, 20};
        for (int i = 0; i < 2 && first + i < c.argc(); i++) {
            Long v = Numbers.parseLongOrNull(c.arg(first + i));
            if (v == null) {
                throw CommandError.NOT_INTEGER;
            }
            params[i] = Math.max(1, Math.min(1000, v));
        }
        int[][] canvas = drawSkyline((int) params[0], (int) params[1]);
        c.reply().verbatim(renderGrays(canvas) + "\nDedicated to the 8 bit game developers of past and present.\n"
                + "Original 8 bit image from Plaguemon by hikikomori. Redis ver. " + Server.VERSION + "\n");
    }

    /** C's rand(): a non-negative int. */
    private static int rand() {
        return ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
    }

    /**
     * generateSkyline: two passes of background skyscrapers without windows (the lighter gray
     * first, so it stays behind), then the black foreground ones with windows. canvas[y][x] is
     * a gray level 0 (black) to 3 (white); the canvas starts white (lwCreateCanvas's bgcolor 3).
     */
    static int[][] drawSkyline(int width, int height) {
        int[][] canvas = new int[height][width];
        for (int[] row : canvas) {
            java.util.Arrays.fill(row, 3);
        }
        for (int color = 2; color >= 1; color--) {
            for (int offset = -10; offset < width; ) {
                offset += rand() % 8;
                int w = 10 + rand() % 9;
                int h = color == 2 ? height / 2 + (rand() % height) / 2 : height / 2 + (rand() % height) / 3;
                skyscraper(canvas, offset, w, h, false, color);
                offset += color == 2 ? w / 2 : w + 1;
            }
        }
        for (int offset = -10; offset < width; ) {
            offset += rand() % 8;
            int w = 5 + rand() % 14;
            if (w % 4 != 0) {
                w += w % 3;
            }
            int h = height / 3 + (rand() % height) / 2;
            skyscraper(canvas, offset, w, h, true, 0);
            offset += w + 5;
        }
        return canvas;
    }

    private static int pixel(int[][] canvas, int x, int y) {
        return y >= 0 && y < canvas.length && x >= 0 && x < canvas[y].length ? canvas[y][x] : 0;
    }

    /**
     * generateSkyscraper: a building standing on the bottom row, its roof two pixels narrower
     * on each side; windows (two pixels wide, one tall) in one of the two grays, away from the
     * borders.
     */
    private static void skyscraper(int[][] canvas, int xoff, int width, int height, boolean windows, int color) {
        int starty = canvas.length - 1;
        int endy = starty - height + 1;
        for (int y = starty; y >= endy; y--) {
            for (int x = xoff; x < xoff + width; x++) {
                if (y == endy && (x <= xoff + 1 || x >= xoff + width - 2)) {
                    continue;
                }
                int c = color;
                if (windows && x > xoff + 1 && x < xoff + width - 2 && y > endy + 1 && y < starty - 1) {
                    int relx = x - (xoff + 1);
                    int rely = y - (endy + 1);
                    if ((relx / 2) % 2 != 0 && rely % 2 != 0) {
                        do {
                            c = 1 + rand() % 2;
                        } while (c == color);
                        if (relx % 2 != 0) {
                            c = pixel(canvas, x - 1, y);
                        }
                    }
                }
                if (y >= 0 && y < canvas.length && x >= 0 && x < canvas[y].length) {
                    canvas[y][x] = c;
                }
            }
        }
    }

    /** lolwut6.c renderCanvas: one space per pixel, foreground and background set to its gray. */
    static String renderGrays(int[][] canvas) {
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < canvas.length; y++) {
            for (int x = 0; x < canvas[y].length; x++) {
                String ce = switch (canvas[y][x]) {
                    case 1 -> "0;90;100m";
                    case 2 -> "0;37;47m";
                    case 3 -> "0;97;107m";
                    default -> "0;30;40m";
                };
                text.append("\033[").append(ce).append(" \033[0m");
            }
            if (y != canvas.length - 1) {
                text.append('\n');
            }
        }
        return text.toString();
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
