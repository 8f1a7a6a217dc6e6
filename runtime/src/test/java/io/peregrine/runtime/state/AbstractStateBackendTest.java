package io.peregrine.runtime.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link StateBackend}: each implementation's test extends this class and
 * says how to create a backend (heap now, RocksDB next).
 */
public abstract class AbstractStateBackendTest {

    protected static final int MAX_PARALLELISM = 128;

    /** A mutable value, so that tests can change one in place and call update. */
    public static final class Counter {
        public long count;
        public String label;

        public Counter(long count, String label) {
            this.count = count;
            this.label = label;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Counter c && c.count == count && c.label.equals(label);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(count) * 31 + label.hashCode();
        }

        @Override
        public String toString() {
            return label + "=" + count;
        }
    }

    public static final ValueCodec<Counter> CODEC = new ValueCodec<>() {
        @Override
        public void write(Counter value, DataOutput out) throws IOException {
            out.writeByte(1);
            out.writeLong(value.count);
            out.writeUTF(value.label);
        }

        @Override
        public Counter read(DataInput in) throws IOException {
            if (in.readByte() != 1) {
                throw new IOException("bad counter version");
            }
            return new Counter(in.readLong(), in.readUTF());
        }
    };

    private final List<StateBackend> opened = new ArrayList<>();

    /** A fresh, empty backend owning {@code groups}. */
    protected abstract StateBackend createBackend(KeyGroupRange groups);

    protected final StateBackend backend(KeyGroupRange groups) {
        StateBackend b = createBackend(groups);
        opened.add(b);
        return b;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(StateBackend::close);
    }

    protected static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static int group(byte[] key) {
        return KeyGroups.keyGroup(KeyGroups.hash(key), MAX_PARALLELISM);
    }

    protected static Counter get(KeyedState<Counter> state, String k) {
        byte[] key = key(k);
        return state.get(group(key), KeyGroups.hash(key), key, 0, key.length);
    }

    protected static void put(KeyedState<Counter> state, String k, Counter v) {
        byte[] key = key(k);
        state.put(group(key), KeyGroups.hash(key), key, v);
    }

    protected static boolean remove(KeyedState<Counter> state, String k) {
        byte[] key = key(k);
        return state.remove(group(key), KeyGroups.hash(key), key, 0, key.length);
    }

    @Test
    void shouldGetWhatWasPut() {
        KeyedState<Counter> s = backend(KeyGroupRange.all(MAX_PARALLELISM)).keyedState("counts", CODEC);
        assertNull(get(s, "a"));
        put(s, "a", new Counter(1, "a"));
        put(s, "b", new Counter(2, "b"));
        assertEquals(new Counter(1, "a"), get(s, "a"));
        assertEquals(new Counter(2, "b"), get(s, "b"));
        assertEquals(2, s.size());
        assertEquals("counts", s.name());
    }

    @Test
    void shouldFindAKeyInsideALargerArray() {
        KeyedState<Counter> s = backend(KeyGroupRange.all(MAX_PARALLELISM)).keyedState("counts", CODEC);
        put(s, "abc", new Counter(3, "abc"));
        byte[] buffer = "xxabcyy".getBytes(StandardCharsets.UTF_8);
        byte[] k = key("abc");
        assertEquals(new Counter(3, "abc"), s.get(group(k), KeyGroups.hash(k), buffer, 2, 3));
        assertNull(s.get(group(k), KeyGroups.hash(k), buffer, 2, 2));
    }

    @Test
    void shouldReplaceOnPutAndKeepChangesAfterUpdate() {
        KeyedState<Counter> s = backend(KeyGroupRange.all(MAX_PARALLELISM)).keyedState("counts", CODEC);
        put(s, "a", new Counter(1, "a"));
        put(s, "a", new Counter(5, "a"));
        assertEquals(1, s.size());
        Counter c = get(s, "a");
        c.count = 6;
        byte[] k = key("a");
        s.update(group(k), KeyGroups.hash(k), k, c);
        assertEquals(new Counter(6, "a"), get(s, "a"));
    }

    @Test
    void shouldRemove() {
        KeyedState<Counter> s = backend(KeyGroupRange.all(MAX_PARALLELISM)).keyedState("counts", CODEC);
        put(s, "a", new Counter(1, "a"));
        assertTrue(remove(s, "a"));
        assertFalse(remove(s, "a"));
        assertNull(get(s, "a"));
        assertEquals(0, s.size());
    }

    @Test
    void shouldKeepStatesApart() {
        StateBackend b = backend(KeyGroupRange.all(MAX_PARALLELISM));
        KeyedState<Counter> one = b.keyedState("one", CODEC);
        KeyedState<Counter> two = b.keyedState("two", CODEC);
        put(one, "a", new Counter(1, "one"));
        assertNull(get(two, "a"));
        assertTrue(b.keyedState("one", CODEC) == one, "the same name gives the same state");
    }

    @Test
    void shouldRejectKeyGroupsItDoesNotOwn() {
        KeyedState<Counter> s = backend(new KeyGroupRange(0, 63)).keyedState("counts", CODEC);
        byte[] k = key("k");
        assertThrows(IllegalArgumentException.class, () -> s.get(64, KeyGroups.hash(k), k, 0, k.length));
        assertThrows(IllegalArgumentException.class, () -> s.put(100, KeyGroups.hash(k), k, new Counter(1, "k")));
    }

    @Test
    void shouldBehaveLikeAMapUnderRandomOperations() {
        KeyedState<Counter> s = backend(KeyGroupRange.all(MAX_PARALLELISM)).keyedState("counts", CODEC);
        Map<String, Counter> model = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            String k = "key-" + rnd.nextInt(2_000);
            int op = rnd.nextInt(10);
            if (op < 5) {
                Counter c = new Counter(i, k);
                put(s, k, c);
                model.put(k, c);
            } else if (op < 7) {
                assertEquals(model.remove(k) != null, remove(s, k), k);
            } else {
                assertEquals(model.get(k), get(s, k), k);
            }
            assertEquals(model.size(), s.size());
        }
        Map<String, Counter> seen = new TreeMap<>();
        for (int g = 0; g < MAX_PARALLELISM; g++) {
            int group = g;
            s.forEach(g, (key, value) -> {
                assertEquals(group, group(key));
                assertNull(seen.put(new String(key, StandardCharsets.UTF_8), value));
            });
        }
        assertEquals(new TreeMap<>(model), seen);
    }

    private static byte[] snapshot(StateBackend b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            b.snapshot(out);
        }
        return bytes.toByteArray();
    }

    private static void restore(StateBackend b, byte[] snapshot) throws IOException {
        b.restore(new DataInputStream(new ByteArrayInputStream(snapshot)));
    }

    @Test
    void shouldRestoreASnapshotAndWriteTheSameBytesAgain() throws IOException {
        StateBackend b = backend(KeyGroupRange.all(MAX_PARALLELISM));
        KeyedState<Counter> s = b.keyedState("counts", CODEC);
        KeyedState<Counter> t = b.keyedState("other", CODEC);
        for (int i = 0; i < 500; i++) {
            put(s, "k" + i, new Counter(i, "v" + i));
        }
        put(t, "k1", new Counter(-1, "other"));
        byte[] snap = snapshot(b);

        StateBackend restored = backend(KeyGroupRange.all(MAX_PARALLELISM));
        KeyedState<Counter> rs = restored.keyedState("counts", CODEC);
        KeyedState<Counter> rt = restored.keyedState("other", CODEC);
        restore(restored, snap);
        assertEquals(500, rs.size());
        assertEquals(new Counter(42, "v42"), get(rs, "k42"));
        assertEquals(new Counter(-1, "other"), get(rt, "k1"));
        assertArrayEquals(snap, snapshot(restored), "equal state, equal bytes");
    }

    @Test
    void shouldSplitASnapshotOverBackendsOfOtherKeyGroups() throws IOException {
        StateBackend whole = backend(KeyGroupRange.all(MAX_PARALLELISM));
        KeyedState<Counter> s = whole.keyedState("counts", CODEC);
        for (int i = 0; i < 1_000; i++) {
            put(s, "k" + i, new Counter(i, "v"));
        }
        byte[] snap = snapshot(whole);
        long total = 0;
        List<StateBackend> parts = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            StateBackend part = backend(KeyGroups.range(w, MAX_PARALLELISM, 3));
            KeyedState<Counter> ps = part.keyedState("counts", CODEC);
            restore(part, snap);
            total += ps.size();
            parts.add(part);
        }
        assertEquals(1_000, total, "every key lands in exactly one part");
        // and back: restoring every part's snapshot into one backend gives the original state
        StateBackend merged = backend(KeyGroupRange.all(MAX_PARALLELISM));
        merged.keyedState("counts", CODEC);
        for (StateBackend part : parts) {
            restore(merged, snapshot(part));
        }
        assertArrayEquals(snap, snapshot(merged));
    }

    @Test
    void shouldRefuseToRestoreAnUnregisteredState() throws IOException {
        StateBackend b = backend(KeyGroupRange.all(MAX_PARALLELISM));
        put(b.keyedState("counts", CODEC), "a", new Counter(1, "a"));
        byte[] snap = snapshot(b);
        StateBackend other = backend(KeyGroupRange.all(MAX_PARALLELISM));
        StateException e = assertThrows(StateException.class, () -> restore(other, snap));
        assertTrue(e.getMessage().contains("'counts'"), e.getMessage());
    }

    @Test
    void shouldRejectSomethingThatIsNotASnapshot() {
        StateBackend b = backend(KeyGroupRange.all(MAX_PARALLELISM));
        IOException e = assertThrows(IOException.class, () -> restore(b, new byte[] {1, 2, 3, 4, 5}));
        assertTrue(e.getMessage().startsWith("not a keyed state snapshot"), e.getMessage());
    }
}
