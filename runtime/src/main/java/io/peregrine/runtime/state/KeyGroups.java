package io.peregrine.runtime.state;

/**
 * Keys to key groups to workers. A key is hashed from its encoded bytes with MurmurHash3 (x86,
 * 32-bit, seed 0); its key group is {@code (hash & 0x7fffffff) % maxParallelism}; key groups are
 * split over workers in contiguous ranges as Flink splits them over subtasks, so state moves by
 * whole key groups when the parallelism changes and the group of a key never does.
 */
public final class KeyGroups {

    /** Default number of key groups (the most workers a job can ever be rescaled to). */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    private KeyGroups() {}

    /** MurmurHash3 x86_32 of {@code length} bytes from {@code offset}, seed 0. */
    public static int hash(byte[] data, int offset, int length) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = 0;
        int end = offset + (length & ~3);
        for (int i = offset; i < end; i += 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | data[i + 3] << 24;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = length & 3;
        if (tail != 0) {
            int k = 0;
            if (tail == 3) {
                k ^= (data[end + 2] & 0xff) << 16;
            }
            if (tail >= 2) {
                k ^= (data[end + 1] & 0xff) << 8;
            }
            k ^= data[end] & 0xff;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
        }
        h ^= length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    public static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    /** The key group of a key hash. */
    public static int keyGroup(int hash, int maxParallelism) {
        return (hash & 0x7fffffff) % maxParallelism;
    }

    /** The worker (0-based) that owns a key group. */
    public static int worker(int keyGroup, int maxParallelism, int parallelism) {
        return keyGroup * parallelism / maxParallelism;
    }

    /** The key groups a worker owns: the inverse of {@link #worker}. */
    public static KeyGroupRange range(int worker, int maxParallelism, int parallelism) {
        checkParallelism(maxParallelism, parallelism);
        if (worker < 0 || worker >= parallelism) {
            throw new IllegalArgumentException("worker " + worker + " out of parallelism " + parallelism);
        }
        int first = (worker * maxParallelism + parallelism - 1) / parallelism;
        int last = ((worker + 1) * maxParallelism - 1) / parallelism;
        return new KeyGroupRange(first, last);
    }

    public static void checkParallelism(int maxParallelism, int parallelism) {
        if (maxParallelism < 1 || maxParallelism > 32768) {
            throw new IllegalArgumentException("max parallelism must be in 1..32768, was " + maxParallelism);
        }
        if (parallelism < 1 || parallelism > maxParallelism) {
            throw new IllegalArgumentException(
                    "parallelism must be in 1.." + maxParallelism + " (the max parallelism), was " + parallelism);
        }
    }
}
