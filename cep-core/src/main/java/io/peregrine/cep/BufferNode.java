package io.peregrine.cep;

import java.util.Arrays;

/**
 * A node of a key's shared match buffer: one event as taken by one element, with edges back to the
 * nodes it was taken after. Partial matches that share a prefix share its nodes. Nodes and edges
 * carry reference counts managed exactly as FlinkCEP's shared buffer does (lock when a run points at
 * them, release when it moves on), because which edges survive decides which path a match is read
 * from.
 */
final class BufferNode<E> {

    static final class Edge<E> {
        final BufferNode<E> target;
        final int[] version;
        int refCount;

        Edge(BufferNode<E> target, int[] version) {
            this.target = target;
            this.version = version;
        }

        /** Flink's {@code Lockable.release}: true when the count is (or already was) zero. */
        boolean release() {
            if (refCount <= 0) {
                return true;
            }
            refCount--;
            return refCount == 0;
        }
    }

    @SuppressWarnings("rawtypes")
    private static final Edge[] NO_EDGES = new Edge[0];

    final EventEntry<E> event;
    final int elementId;
    int refCount;
    boolean removed;
    Edge<E>[] edges;
    int edgeCount;
    /** Edges whose count is zero: lets a run that stays put skip its lock/release pair without reading them. */
    int zeroEdges;

    @SuppressWarnings("unchecked")
    BufferNode(EventEntry<E> event, int elementId) {
        this.event = event;
        this.elementId = elementId;
        this.edges = NO_EDGES;
    }

    void addEdge(BufferNode<E> target, int[] version) {
        if (edgeCount == edges.length) {
            edges = Arrays.copyOf(edges, Math.max(2, edgeCount * 2));
        }
        edges[edgeCount++] = new Edge<>(target, version);
        zeroEdges++;
    }

    void lockEdge(Edge<E> edge) {
        if (edge.refCount == 0) {
            zeroEdges--;
        }
        edge.refCount++;
    }

    /** Releases edge {@code i}; true when that removed it. */
    boolean releaseEdgeAt(int i) {
        Edge<E> edge = edges[i];
        boolean wasZero = edge.refCount == 0;
        if (!edge.release()) {
            return false;
        }
        removeEdgeAt(i);
        if (wasZero) {
            zeroEdges--;
        }
        return true;
    }

    /** After edge counts were set directly (restoring persisted state). */
    void recountZeroEdges() {
        int z = 0;
        for (int i = 0; i < edgeCount; i++) {
            if (edges[i].refCount == 0) {
                z++;
            }
        }
        zeroEdges = z;
    }

    private void removeEdgeAt(int i) {
        System.arraycopy(edges, i + 1, edges, i, edgeCount - i - 1);
        edges[--edgeCount] = null;
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
