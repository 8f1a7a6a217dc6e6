package io.peregrine.cep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Versioned binary form of one key's {@link NfaState}, for checkpoints and savepoints.
 *
 * <p>Format version 2, all integers big-endian ({@link DataOutput}):
 * <pre>
 *   byte    version (2)
 *   long    pattern fingerprint (state names and edges of the compiled NFA)
 *   long    nextSeq, lastAdvance, nextDeadline, evicted
 *   varint  event count, then per event: long timestamp, long seq, event (caller's serializer)
 *   varint  node count, then per node: varint event index, varint element id, int refCount,
 *           boolean removed, varint edge count, then per edge: varint target node index + 1
 *           (0 = none), version, int refCount
 *   runs    partial matches (heap array order), then completed matches: varint count, then per
 *           run: varint state id, varint node index + 1, version, long start timestamp,
 *           long previous timestamp, varint start event index + 1, aggregates, event references
 *   long    position (events the key processed)
 *   varint  history length, then per event, oldest first: long timestamp, event reference
 *   version = varint length, then varint digits
 *   event reference = byte 0 (null) | byte 1, varint event index | byte 2, event (caller's serializer)
 * </pre>
 * Each event is stored once however many nodes and runs share it, and the node graph keeps its
 * sharing, so a restored key continues exactly as if it had not been persisted. State written for
 * one pattern cannot be read with another (the fingerprint is checked). The history is read into
 * the depth of the NFA that reads it: a smaller depth keeps the newest events, a larger one has
 * nothing (null) in the older slots.
 *
 * <p>Version 1 is version 2 without the position and the history. It still reads, as a state with
 * position 0 and no history: after restoring a version 1 state, {@link Context#position()} counts
 * from 0 again and {@link Context#previous(int)} sees only the events processed since (PREV and
 * {@code ^} restart for that key).
 */
public final class NfaStateSerializer<E> {

    public static final int CURRENT_VERSION = 2;

    private final Nfa<E> nfa;
    private final EventSerializer<E> events;
    private final long fingerprint;

    public NfaStateSerializer(Nfa<E> nfa, EventSerializer<E> events) {
        this.nfa = Objects.requireNonNull(nfa, "nfa");
        this.events = Objects.requireNonNull(events, "events");
        this.fingerprint = fingerprint(nfa);
    }

    public byte[] serialize(NfaState<E> state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(state, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize NFA state", e);
        }
        return bytes.toByteArray();
    }

    public NfaState<E> deserialize(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read NFA state (" + bytes.length + " bytes)", e);
        }
    }

    public void write(NfaState<E> state, DataOutput out) throws IOException {
        Map<BufferNode<E>, Integer> nodeIds = new IdentityHashMap<>();
        List<BufferNode<E>> nodes = new ArrayList<>();
        Map<EventEntry<E>, Integer> eventIds = new IdentityHashMap<>();
        List<EventEntry<E>> entries = new ArrayList<>();
        collect(state.partialMatches, nodeIds, nodes, eventIds, entries);
        collect(state.completedMatches, nodeIds, nodes, eventIds, entries);
        Map<Object, Integer> eventObjects = new IdentityHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            eventObjects.putIfAbsent(entries.get(i).event, i);
        }

        out.writeByte(CURRENT_VERSION);
        out.writeLong(fingerprint);
        out.writeLong(state.nextSeq);
        out.writeLong(state.lastAdvance);
        out.writeLong(state.nextDeadline);
        out.writeLong(state.evicted);
        writeVarint(out, entries.size());
        for (EventEntry<E> e : entries) {
            out.writeLong(e.timestamp);
            out.writeLong(e.seq);
            events.write(e.event, out);
        }
        writeVarint(out, nodes.size());
        for (BufferNode<E> n : nodes) {
            writeVarint(out, eventIds.get(n.event));
            writeVarint(out, n.elementId);
            out.writeInt(n.refCount);
            out.writeBoolean(n.removed);
            writeVarint(out, n.edgeCount());
            for (int i = 0; i < n.edgeCount(); i++) {
                BufferNode<E> target = n.edgeTarget(i);
                writeVarint(out, target == null ? 0 : nodeIds.get(target) + 1);
                writeVersion(out, n.edgeVersion(i));
                out.writeInt(n.edgeRefCount(i));
            }
        }
        writeRuns(out, state.partialMatches, nodeIds, eventIds, eventObjects);
        writeRuns(out, state.completedMatches, nodeIds, eventIds, eventObjects);
        out.writeLong(state.position);
        writeVarint(out, state.historySize);
        for (int n = state.historySize; n >= 1; n--) {
            int slot = state.historySlot(n);
            out.writeLong(state.historyTimestamps[slot]);
            writeEventRef(out, state.historyEvents[slot], eventObjects);
        }
    }

    public NfaState<E> read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version < 1 || version > CURRENT_VERSION) {
            throw new IOException("unknown NFA state format version " + version + " (this build reads 1.."
                    + CURRENT_VERSION + ")");
        }
        long fp = in.readLong();
        if (fp != fingerprint) {
            throw new IOException("NFA state was written for a different pattern (fingerprint "
                    + Long.toHexString(fp) + ", this pattern " + Long.toHexString(fingerprint) + ")");
        }
        NfaState<E> state = new NfaState<>(nfa.options.historyDepth());
        state.nextSeq = in.readLong();
        state.lastAdvance = in.readLong();
        state.nextDeadline = in.readLong();
        state.evicted = in.readLong();
        int eventCount = readVarint(in);
        List<EventEntry<E>> entries = new ArrayList<>(eventCount);
        for (int i = 0; i < eventCount; i++) {
            long ts = in.readLong();
            long seq = in.readLong();
            entries.add(new EventEntry<>(events.read(in), ts, seq));
        }
        int nodeCount = readVarint(in);
        List<BufferNode<E>> nodes = new ArrayList<>(nodeCount);
        int[][] edgeTargets = new int[nodeCount][];
        for (int i = 0; i < nodeCount; i++) {
            EventEntry<E> entry = entries.get(checkIndex(readVarint(in), eventCount, "event"));
            int elementId = checkIndex(readVarint(in), nfa.elementNames.length, "element");
            BufferNode<E> node = new BufferNode<>(entry, elementId);
            node.refCount = in.readInt();
            node.removed = in.readBoolean();
            int edgeCount = readVarint(in);
            edgeTargets[i] = new int[edgeCount];
            for (int e = 0; e < edgeCount; e++) {
                edgeTargets[i][e] = readVarint(in);
                int[] v = readVersion(in);
                int refs = in.readInt();
                node.addEdge(null, v);
                node.restoreEdge(e, null, refs);
            }
            nodes.add(node);
        }
        // edges point backwards in time but may be listed in any order: link them once all exist
        for (int i = 0; i < nodeCount; i++) {
            BufferNode<E> node = nodes.get(i);
            for (int e = 0; e < edgeTargets[i].length; e++) {
                int t = edgeTargets[i][e];
                if (t != 0) {
                    node.restoreEdge(e, nodes.get(checkIndex(t - 1, nodeCount, "node")), node.edgeRefCount(e));
                }
            }
            node.recountZeroEdges();
        }
        readRuns(in, state.partialMatches, nodes, entries);
        readRuns(in, state.completedMatches, nodes, entries);
        state.heldMatches = state.completedMatches.size();
        if (version >= 2) {
            readHistory(in, state, entries);
        }
        return state;
    }

    private void collect(
            RunHeap<E> heap,
            Map<BufferNode<E>, Integer> nodeIds,
            List<BufferNode<E>> nodes,
            Map<EventEntry<E>, Integer> eventIds,
            List<EventEntry<E>> entries) {
        List<BufferNode<E>> todo = new ArrayList<>();
        for (int i = 0; i < heap.size(); i++) {
            ComputationState<E> run = heap.get(i);
            if (run.startEvent != null && !eventIds.containsKey(run.startEvent)) {
                eventIds.put(run.startEvent, entries.size());
                entries.add(run.startEvent);
            }
            if (run.node != null) {
                todo.add(run.node);
            }
        }
        while (!todo.isEmpty()) {
            BufferNode<E> n = todo.remove(todo.size() - 1);
            if (nodeIds.containsKey(n)) {
                continue;
            }
            nodeIds.put(n, nodes.size());
            nodes.add(n);
            if (!eventIds.containsKey(n.event)) {
                eventIds.put(n.event, entries.size());
                entries.add(n.event);
            }
            for (int i = 0; i < n.edgeCount(); i++) {
                BufferNode<E> t = n.edgeTarget(i);
                if (t != null && !nodeIds.containsKey(t)) {
                    todo.add(t);
                }
            }
        }
    }

    private void writeRuns(
            DataOutput out,
            RunHeap<E> heap,
            Map<BufferNode<E>, Integer> nodeIds,
            Map<EventEntry<E>, Integer> eventIds,
            Map<Object, Integer> eventObjects) throws IOException {
        writeVarint(out, heap.size());
        for (int i = 0; i < heap.size(); i++) {
            ComputationState<E> run = heap.get(i);
            writeVarint(out, run.state.id);
            writeVarint(out, run.node == null ? 0 : nodeIds.get(run.node) + 1);
            writeVersion(out, run.version);
            out.writeLong(run.startTimestamp);
            out.writeLong(run.previousTimestamp);
            writeVarint(out, run.startEvent == null ? 0 : eventIds.get(run.startEvent) + 1);
            if (run.aggregates == null) {
                writeVarint(out, 0);
            } else {
                writeVarint(out, run.aggregates.length + 1);
                for (double d : run.aggregates) {
                    out.writeDouble(d);
                }
            }
            Object[] eventRefs = run.eventRefs == null ? null
                    : nfa.eventRefs.length == 1 ? new Object[] {run.eventRefs} : (Object[]) run.eventRefs;
            if (eventRefs == null) {
                writeVarint(out, 0);
            } else {
                writeVarint(out, eventRefs.length + 1);
                for (Object ref : eventRefs) {
                    writeEventRef(out, ref, eventObjects);
                }
            }
        }
    }

    /** An event by its index in the event table when it is there (keeping identity), else inline. */
    private void writeEventRef(DataOutput out, Object ref, Map<Object, Integer> eventObjects) throws IOException {
        Integer idx = ref == null ? null : eventObjects.get(ref);
        if (ref == null) {
            out.writeByte(0);
        } else if (idx != null) {
            out.writeByte(1);
            writeVarint(out, idx);
        } else {
            out.writeByte(2);
            @SuppressWarnings("unchecked")
            E e = (E) ref;
            events.write(e, out);
        }
    }

    private Object readEventRef(DataInput in, List<EventEntry<E>> entries) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 0:
                return null;
            case 1:
                return entries.get(checkIndex(readVarint(in), entries.size(), "event")).event;
            case 2:
                return events.read(in);
            default:
                throw new IOException("bad event reference tag " + tag);
        }
    }

    private void readHistory(DataInput in, NfaState<E> state, List<EventEntry<E>> entries) throws IOException {
        long position = in.readLong();
        int length = readVarint(in);
        if (position < 0 || length < 0 || length > NfaOptions.MAX_HISTORY_DEPTH || length > position) {
            throw new IOException("corrupt NFA state: history of " + length + " events at position " + position);
        }
        state.position = position;
        for (int i = 0; i < length; i++) {
            long ts = in.readLong();
            Object event = readEventRef(in, entries);
            if (state.historyEvents != null) {
                state.remember(event, ts);
            }
        }
    }

    private void readRuns(DataInput in, RunHeap<E> heap, List<BufferNode<E>> nodes, List<EventEntry<E>> entries)
            throws IOException {
        int count = readVarint(in);
        for (int i = 0; i < count; i++) {
            CompiledState<E> st = nfa.states[checkIndex(readVarint(in), nfa.states.length, "state")];
            int nodeRef = readVarint(in);
            BufferNode<E> node = nodeRef == 0 ? null : nodes.get(checkIndex(nodeRef - 1, nodes.size(), "node"));
            int[] version = readVersion(in);
            long startTs = in.readLong();
            long prevTs = in.readLong();
            int startRef = readVarint(in);
            EventEntry<E> start = startRef == 0 ? null : entries.get(checkIndex(startRef - 1, entries.size(), "event"));
            double[] aggs = null;
            int aggLen = readVarint(in);
            if (aggLen > 0) {
                aggs = new double[aggLen - 1];
                for (int a = 0; a < aggs.length; a++) {
                    aggs[a] = in.readDouble();
                }
            }
            Object[] refs = null;
            int refLen = readVarint(in);
            if (refLen > 0) {
                refs = new Object[refLen - 1];
                for (int r = 0; r < refs.length; r++) {
                    refs[r] = readEventRef(in, entries);
                }
            }
            Object eventRefs = refs != null && nfa.eventRefs.length == 1 && refs.length == 1 ? refs[0] : refs;
            heap.appendRaw(new ComputationState<>(st, node, version, startTs, prevTs, start, aggs, eventRefs));
        }
    }

    private static void writeVersion(DataOutput out, int[] v) throws IOException {
        writeVarint(out, v.length);
        for (int d : v) {
            writeVarint(out, d);
        }
    }

    private static int[] readVersion(DataInput in) throws IOException {
        int n = readVarint(in);
        if (n < 1 || n > 1 << 16) {
            throw new IOException("bad Dewey version length " + n);
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = readVarint(in);
        }
        return v;
    }

    static void writeVarint(DataOutput out, int value) throws IOException {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    static int readVarint(DataInput in) throws IOException {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IOException("malformed varint");
    }

    private static int checkIndex(int i, int size, String what) throws IOException {
        if (i < 0 || i >= size) {
            throw new IOException("corrupt NFA state: " + what + " index " + i + " out of " + size);
        }
        return i;
    }

    /** A stable hash of the compiled graph: state names, kinds and edges, in order. */
    static long fingerprint(Nfa<?> nfa) {
        long h = 0xcbf29ce484222325L;
        for (CompiledState<?> s : nfa.states) {
            h = mix(h, s.name.hashCode());
            h = mix(h, s.kind.name().hashCode());
            h = mix(h, s.start ? 1 : 0);
            for (CompiledState.Transition<?> t : s.transitions) {
                h = mix(h, t.action.name().hashCode());
                h = mix(h, t.target.id);
            }
        }
        h = mix(h, nfa.elementNames.length);
        for (String n : nfa.elementNames) {
            h = mix(h, n.hashCode());
        }
        return h;
    }

    private static long mix(long h, int v) {
        h ^= v;
        h *= 0x100000001b3L;
        return h;
    }
}
