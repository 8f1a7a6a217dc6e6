package io.peregrine.cep;

import java.util.Arrays;

/**
 * A node of a key's shared match buffer: one event as taken by one element, with edges back to the
 * nodes it was taken after. Partial matches that share a prefix share its nodes. Nodes and edges
 * carry reference counts managed exactly as FlinkCEP's shared buffer does (lock when a run points at
 * them, release when it moves on), because which edges survive decides which path a match is read
 * from.
 *
 * <p>Almost every node has one edge: it is stored in the node's own fields, so reaching it costs no
 * extra objects (and no extra cache misses); further edges go to an overflow array.
 */
final class BufferNode<E> {

    /** An edge beyond the first. */
    private static final class Edge<E> {
        BufferNode<E> target;
        final int[] version;
        int refCount;

        Edge(BufferNode<E> target, int[] version) {
            this.target = target;
            this.version = version;
        }
    }

    @SuppressWarnings("rawtypes")
    private static final Edge[] NO_EDGES = new Edge[0];

    final EventEntry<E> event;
    final int elementId;
    int refCount;
    boolean removed;
    private int edgeCount;
    private BufferNode<E> target0;
    private int[] version0;
    private int refCount0;
    private Edge<E>[] more;
    /** Edges whose count is zero: lets a run that stays put skip its lock/release pair without reading them. */
    int zeroEdges;

    @SuppressWarnings("unchecked")
    BufferNode(EventEntry<E> event, int elementId) {
        this.event = event;
        this.elementId = elementId;
        this.more = NO_EDGES;
    }

    int edgeCount() {
        return edgeCount;
    }

    /** The node edge {@code i} leads back to, or null when it starts a run. */
    BufferNode<E> edgeTarget(int i) {
        return i == 0 ? target0 : more[i - 1].target;
    }

    int[] edgeVersion(int i) {
        return i == 0 ? version0 : more[i - 1].version;
    }

    int edgeRefCount(int i) {
        return i == 0 ? refCount0 : more[i - 1].refCount;
    }

    void addEdge(BufferNode<E> target, int[] version) {
        if (edgeCount == 0) {
            target0 = target;
            version0 = version;
            refCount0 = 0;
        } else {
            int k = edgeCount - 1;
            if (k == more.length) {
                more = Arrays.copyOf(more, Math.max(2, k * 2));
            }
            more[k] = new Edge<>(target, version);
        }
        edgeCount++;
        zeroEdges++;
    }

    void lockEdge(int i) {
        int count = edgeRefCount(i);
        if (count == 0) {
            zeroEdges--;
        }
        setRefCount(i, count + 1);
    }

    /**
     * Releases edge {@code i} as Flink's {@code Lockable.release} does (true when the count is, or
     * already was, zero) and removes it in that case.
     *
     * @return whether the edge was removed
     */
    boolean releaseEdgeAt(int i) {
        int count = edgeRefCount(i);
        if (count > 0) {
            setRefCount(i, count - 1);
            if (count - 1 != 0) {
                return false;
            }
        } else {
            zeroEdges--;
        }
        removeEdgeAt(i);
        return true;
    }

    /** Restoring persisted state: sets edge {@code i}'s target and count. */
    void restoreEdge(int i, BufferNode<E> target, int refCount) {
        if (i == 0) {
            target0 = target;
        } else {
            more[i - 1].target = target;
        }
        setRefCount(i, refCount);
    }

    /** After edge counts were set directly (restoring persisted state). */
    void recountZeroEdges() {
        int z = 0;
        for (int i = 0; i < edgeCount; i++) {
            if (edgeRefCount(i) == 0) {
                z++;
            }
        }
        zeroEdges = z;
    }

    private void setRefCount(int i, int count) {
        if (i == 0) {
            refCount0 = count;
        } else {
            more[i - 1].refCount = count;
        }
    }

    private void removeEdgeAt(int i) {
        int extra = edgeCount - 1;
        if (i == 0) {
            if (extra > 0) {
                Edge<E> first = more[0];
                target0 = first.target;
                version0 = first.version;
                refCount0 = first.refCount;
                System.arraycopy(more, 1, more, 0, extra - 1);
                more[extra - 1] = null;
            } else {
                target0 = null;
                version0 = null;
                refCount0 = 0;
            }
        } else {
            System.arraycopy(more, i, more, i - 1, extra - i);
            more[extra - 1] = null;
        }
        edgeCount--;
    }

    boolean release() {
        if (refCount <= 0) {
            return true;
        }
        refCount--;
        return refCount == 0;
    }

    @Override
    public String toString() {
        return "Node(" + event + ", element " + elementId + ", refs " + refCount + ", edges " + edgeCount + ")";
    }
}
