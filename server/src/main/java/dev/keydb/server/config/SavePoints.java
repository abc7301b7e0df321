package dev.keydb.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code save <seconds> <changes> ...} directive: save in the background when at least
 * {@code changes} writes happened and more than {@code seconds} passed since the last save.
 * Parsed as Redis's setConfigSaveOption: pairs of integers, seconds at least 1, changes at least 0.
 */
public record SavePoints(List<Point> points) {
    public static final SavePoints NONE = new SavePoints(List.of());

    public record Point(long seconds, long changes) {}

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** Accepts words that may each hold several numbers ("3600 1 300 100"), or a single "" for none. */
    public static SavePoints parse(List<String> words) throws ConfigException {
        List<String> numbers = new ArrayList<>();
        for (String w : words) {
            for (String n : w.trim().split("\\s+")) {
                if (!n.isEmpty()) {
                    numbers.add(n);
                }
            }
        }
        if (numbers.size() % 2 != 0) {
            throw new ConfigException("Invalid save parameters");
        }
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i += 2) {
            long seconds = parse(numbers.get(i), 1);
            long changes = parse(numbers.get(i + 1), 0);
            points.add(new Point(seconds, changes));
        }
        return new SavePoints(List.copyOf(points));
    }

    private static long parse(String text, long min) throws ConfigException {
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid save parameters");
        }
        if (v < min) {
            throw new ConfigException("Invalid save parameters");
        }
        return v;
    }

    /** "3600 1 300 100", as CONFIG GET save prints it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Point p : points) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(p.seconds).append(' ').append(p.changes);
        }
        return sb.toString();
    }
}
