package io.peregrine.cep;

import java.util.Arrays;

/**
 * A binary min-heap of runs ordered by {@link ComputationState#compare}. It keeps the exact layout a
 * {@code java.util.PriorityQueue} would (same sift rules, bulk removal that compacts then heapifies),
 * because FlinkCEP iterates its queues in array order and that order decides which run reaches a
 * shared node first. Iteration by index is the array order.
 */
final class RunHeap<E> {

    @SuppressWarnings("rawtypes")
    private static final ComputationState[] EMPTY = new ComputationState[0];

    private ComputationState<E>[] queue;
    private int size;
    /** Runs in the start state, so that the number of partial matches is known without a walk. */
    private int starts;

    @SuppressWarnings("unchecked")
    RunHeap() {
        queue = EMPTY;
    }

    int size() {
        return size;
    }

    /** Runs that have left the start state: the partial matches. */
    int partialMatches() {
        return size - starts;
    }

    boolean isEmpty() {
        return size == 0;
    }

    ComputationState<E> get(int i) {
        return queue[i];
    }

    ComputationState<E> peek() {
        return size == 0 ? null : queue[0];
    }

    void offer(ComputationState<E> run) {
        if (size == queue.length) {
            queue = Arrays.copyOf(queue, Math.max(4, size + (size >> 1) + 1));
        }
        if (run.isStart()) {
            starts++;
        }
        int k = size++;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            ComputationState<E> p = queue[parent];
            if (ComputationState.compare(run, p) >= 0) {
                break;
            }
            queue[k] = p;
            k = parent;
        }
        queue[k] = run;
    }

    ComputationState<E> poll() {
        if (size == 0) {
            return null;
        }
        ComputationState<E> result = queue[0];
        if (result.isStart()) {
            starts--;
        }
        int n = --size;
        ComputationState<E> x = queue[n];
        queue[n] = null;
        if (n > 0) {
            siftDown(0, x, n);
        }
        return result;
    }

    private void siftDown(int k, ComputationState<E> x, int n) {
        int half = n >>> 1;
        while (k < half) {
            int child = (k << 1) + 1;
            ComputationState<E> c = queue[child];
            int right = child + 1;
            if (right < n && ComputationState.compare(c, queue[right]) > 0) {
                child = right;
                c = queue[child];
            }
            if (ComputationState.compare(x, c) <= 0) {
                break;
            }
            queue[k] = c;
            k = child;
        }
        queue[k] = x;
    }

    /** Removes the runs flagged in {@code remove} (by array index), keeping the others' order, then heapifies. */
    void removeFlagged(boolean[] remove) {
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (!remove[i]) {
                queue[w++] = queue[i];
            } else if (queue[i].isStart()) {
                starts--;
            }
        }
        for (int i = w; i < size; i++) {
            queue[i] = null;
        }
        size = w;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, queue[i], size);
        }
    }

    void clear() {
        Arrays.fill(queue, 0, size, null);
        size = 0;
        starts = 0;
    }

    /** Makes this heap a copy of {@code other}, array order included. */
    void copyFrom(RunHeap<E> other) {
        if (queue.length < other.size) {
            queue = Arrays.copyOf(queue, other.size);
        } else if (other.size < size) {
            Arrays.fill(queue, other.size, size, null);
        }
        System.arraycopy(other.queue, 0, queue, 0, other.size);
        size = other.size;
        starts = other.starts;
    }

    /** Appends without sifting; only for restoring a persisted array order. */
    void appendRaw(ComputationState<E> run) {
        if (size == queue.length) {
            queue = Arrays.copyOf(queue, Math.max(4, size + (size >> 1) + 1));
        }
        queue[size++] = run;
        if (run.isStart()) {
            starts++;
        }
    }
}
