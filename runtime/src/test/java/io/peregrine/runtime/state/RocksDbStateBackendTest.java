package io.peregrine.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state backend contract on RocksDB, plus what only a store behind a cache has to get right. */
class RocksDbStateBackendTest extends AbstractStateBackendTest {

    @TempDir
    Path dir;

    @Override
    protected StateBackend createBackend(KeyGroupRange groups) {
        return new RocksDbStateBackend(dir, "test-", groups, 100);
    }

    /** Counters whose label starts with "keep" must stay the same object. */
    private static final ValueCodec<Counter> KEEPING = new ValueCodec<>() {
        @Override
        public void write(Counter value, DataOutput out) throws IOException {
            CODEC.write(value, out);
        }

        @Override
        public Counter read(DataInput in) throws IOException {
            return CODEC.read(in);
        }

        @Override
        public boolean keepInMemory(Counter value) {
            return value.label.startsWith("keep");
        }
    };

    @Test
    void shouldServeValuesFromTheStoreAfterTheCacheDropsThem() {
        StateBackend b = backend(KeyGroupRange.all(MAX_PARALLELISM));
        KeyedState<Counter> s = b.keyedState("counts", KEEPING);
        Counter kept = new Counter(-1, "keep");
        put(s, "kept", kept);
        for (int i = 0; i < RocksDbStateBackend.FLUSH_THRESHOLD + 10; i++) {
            put(s, "k" + i, new Counter(i, "v"));
        }
        b.flush();
        assertEquals(RocksDbStateBackend.FLUSH_THRESHOLD + 11, s.size());
        assertSame(kept, get(s, "kept"), "a value its codec keeps in memory stays the same object");
        Counter c = get(s, "k7");
        assertEquals(new Counter(7, "v"), c);
        assertSame(c, get(s, "k7"), "read once, then served from memory");
        c.count = 70;
        byte[] k = key("k7");
        s.update(group(k), KeyGroups.hash(k), k, c);
        // every flush past the capacity trims the cache; new keys push k7 out within a few rounds
        Counter again = c;
        int added = 0;
        for (int round = 0; round < 50 && again == c; round++) {
            for (int i = 0; i < 200; i++) {
                put(s, "j" + added, new Counter(added, "w"));
                added++;
            }
            b.flush();
            again = get(s, "k7");
        }
        assertNotSame(c, again, "dropped from memory after a flush");
        assertEquals(new Counter(70, "v"), again, "the update reached the store");
        assertTrue(remove(s, "k8"));
        assertFalse(remove(s, "k8"));
        assertEquals(RocksDbStateBackend.FLUSH_THRESHOLD + 10 + added, s.size());
    }

    @Test
    void shouldDeleteItsDirectoryOnClose() {
        RocksDbStateBackend b = new RocksDbStateBackend(dir, "gone-", KeyGroupRange.all(MAX_PARALLELISM), 10);
        put(b.keyedState("counts", CODEC), "a", new Counter(1, "a"));
        Path p = b.path();
        assertTrue(Files.isDirectory(p));
        b.close();
        assertFalse(Files.exists(p));
        StateException e = assertThrows(StateException.class, () -> b.keyedState("counts", CODEC));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void shouldNameThePathWhenTheStoreCannotBeCreated() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        StateException e = assertThrows(StateException.class,
                () -> new RocksDbStateBackend(file, "w-", KeyGroupRange.all(MAX_PARALLELISM), 10));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
