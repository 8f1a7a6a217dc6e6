package io.peregrine.runtime.checkpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a job checkpoints: into {@code directory} every {@code interval}, keeping the newest
 * {@code retained} complete checkpoints. A job given settings also resumes from the latest complete
 * checkpoint in that directory, and its file outputs become transactional (published when a
 * checkpoint completes).
 */
public record CheckpointSettings(Path directory, Duration interval, int retained) {

    public static final int DEFAULT_RETAINED = 3;

    public CheckpointSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive, was " + interval);
        }
        if (retained < 1) {
            throw new IllegalArgumentException("checkpoints retained must be at least 1, was " + retained);
        }
    }

    public static CheckpointSettings every(Duration interval, Path directory) {
        return new CheckpointSettings(directory, interval, DEFAULT_RETAINED);
    }

    /**
     * Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} (a positive whole number and a unit).
     *
     * @throws IllegalArgumentException with a message naming the text
     */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i == t.length()) {
            throw new IllegalArgumentException("bad duration '" + text + "': expected a number and a unit (500ms, 10s, 5m, 1h)");
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad duration '" + text + "': number too large");
        }
        Duration d;
        switch (t.substring(i)) {
            case "ms":
                d = Duration.ofMillis(n);
                break;
            case "s":
                d = Duration.ofSeconds(n);
                break;
            case "m":
                d = Duration.ofMinutes(n);
                break;
            case "h":
                d = Duration.ofHours(n);
                break;
            default:
                throw new IllegalArgumentException("bad duration '" + text + "': unknown unit '" + t.substring(i)
                        + "' (ms, s, m, h)");
        }
        if (d.isZero()) {
            throw new IllegalArgumentException("bad duration '" + text + "': must be positive");
        }
        return d;
    }
}
