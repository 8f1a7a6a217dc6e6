package io.peregrine.runtime.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps state as live objects on the Java heap: one open-addressing table per state and key group
 * (keys compared as bytes, no boxing, no allocation on lookups). Values are serialized only by
 * {@link #snapshot}. Not thread-safe: owned by one worker.
 */
public final class HeapStateBackend implements StateBackend {

    private final KeyGroupRange keyGroups;
    private final Map<String, HeapKeyedState<?>> states = new TreeMap<>();
    private boolean closed;

    public HeapStateBackend(KeyGroupRange keyGroups) {
        this.keyGroups = keyGroups;
    }

    public static StateBackendFactory factory() {
        return (worker, groups) -> new HeapStateBackend(groups);
    }

    @Override
    public KeyGroupRange keyGroups() {
        return keyGroups;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> KeyedState<V> keyedState(String name, ValueCodec<V> codec) {
        checkOpen();
        HeapKeyedState<?> s = states.get(name);
        if (s == null) {
            HeapKeyedState<V> created = new HeapKeyedState<>(name, codec, keyGroups);
            states.put(name, created);
            return created;
        }
        if (s.codec() != codec) {
            throw new StateException("state '" + name + "' is already registered with another codec");
        }
        return (KeyedState<V>) s;
    }

    @Override
    public void snapshot(DataOutput out) throws IOException {
        checkOpen();
        KeyGroupFormat.writeHeader(out, states.size());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputStream valueOut = new DataOutputStream(bytes);
        for (HeapKeyedState<?> s : states.values()) {
            out.writeUTF(s.name());
            List<Integer> groups = new ArrayList<>();
            for (int g = keyGroups.first(); g <= keyGroups.last(); g++) {
                if (s.groupSize(g) > 0) {
                    groups.add(g);
                }
            }
            KeyGroupFormat.writeVarint(out, groups.size());
            for (int g : groups) {
                KeyGroupFormat.writeGroup(out, g, s.entries(g, bytes, valueOut));
            }
        }
    }

    @Override
    public void restore(DataInput in) throws IOException {
        checkOpen();
        int stateCount = KeyGroupFormat.readHeader(in);
        for (int i = 0; i < stateCount; i++) {
            String name = in.readUTF();
            HeapKeyedState<?> s = states.get(name);
            if (s == null) {
                throw new StateException("cannot restore state '" + name + "': no operator registered it (registered: "
                        + states.keySet() + ")");
            }
            int groups = KeyGroupFormat.readVarint(in);
            for (int g = 0; g < groups; g++) {
                int keyGroup = KeyGroupFormat.readVarint(in);
                int entries = KeyGroupFormat.readVarint(in);
                boolean mine = keyGroups.contains(keyGroup);
                for (int e = 0; e < entries; e++) {
                    byte[] key = KeyGroupFormat.readBytes(in);
                    byte[] value = KeyGroupFormat.readBytes(in);
                    if (mine) {
                        s.restoreEntry(keyGroup, key, new DataInputStream(new ByteArrayInputStream(value)));
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        states.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new StateException("heap state backend for key groups " + keyGroups + " is closed");
        }
    }
}
