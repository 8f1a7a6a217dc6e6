package io.peregrine.runtime.state;

/**
 * A contiguous range of key groups, {@code first} to {@code last} inclusive: what one worker owns.
 * Ranges are contiguous so that rescaling moves whole neighbouring groups, as in Flink.
 */
public record KeyGroupRange(int first, int last) {

    public KeyGroupRange {
        if (first < 0 || last < first - 1) {
            throw new IllegalArgumentException("bad key group range [" + first + ", " + last + "]");
        }
    }

    /** All key groups of a job with this maximum parallelism. */
    public static KeyGroupRange all(int maxParallelism) {
        return new KeyGroupRange(0, maxParallelism - 1);
    }

    public boolean contains(int keyGroup) {
        return keyGroup >= first && keyGroup <= last;
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return "[" + first + ".." + last + "]";
    }
}
