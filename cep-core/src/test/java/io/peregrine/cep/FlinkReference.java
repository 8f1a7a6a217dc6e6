package io.peregrine.cep;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.configuration.Configuration;

/**
 * The reference for the differential tests: FlinkCEP 2.3.0's own {@link NFA} for one key, driven the
 * way its {@code CepOperator} drives it in event time, its {@link SharedBuffer} on in-memory keyed
 * state. A watermark is {@link #advanceTime}; each event it releases is {@link #process}ed, after time
 * was advanced to its timestamp (once per distinct timestamp, in order). What the NFA emits is kept
 * in {@link #matches} and {@link #timeouts}, written by the given format, a timeout followed by
 * {@code "@"} and its timestamp (as {@link Recorder} writes ours).
 */
final class FlinkReference<T> implements AutoCloseable {
    final List<String> matches = new ArrayList<>();
    final List<String> timeouts = new ArrayList<>();
    private final NFA<T> nfa;
    private final AfterMatchSkipStrategy skip;
    private final Function<Map<String, List<T>>, String> format;
    private final SharedBuffer<T> buffer = new SharedBuffer<>(inMemoryStateStore(), null); // never serializes
    private final NFAState state;
    private long lastTimestamp = Long.MIN_VALUE;

    /** Compiles {@code pattern} with timed-out partial matches on. */
    FlinkReference(Pattern<T, ?> pattern, Function<Map<String, List<T>>, String> format) {
        this(NFACompiler.compileFactory(pattern, true).createNFA(), pattern.getAfterMatchSkipStrategy(), format);
    }

    /** Runs an NFA compiled already (for {@code pattern}'s skip strategy). */
    FlinkReference(NFA<T> nfa, AfterMatchSkipStrategy skip, Function<Map<String, List<T>>, String> format) {
        this.nfa = nfa;
        this.skip = skip;
        this.format = format;
        try {
            nfa.open(NO_RUNTIME_CONTEXT, new Configuration());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        this.state = nfa.createInitialNFAState();
    }

    /** An event released by a watermark. */
    @SuppressWarnings("try")
    void process(T event, long timestamp) throws Exception {
        if (timestamp != lastTimestamp) {
            advanceTime(timestamp);
            lastTimestamp = timestamp;
        }
        try (SharedBufferAccessor<T> accessor = buffer.getAccessor()) {
            for (Map<String, List<T>> m : nfa.process(accessor, state, event, timestamp, skip, () -> 0L)) {
                matches.add(format.apply(m));
            }
        }
    }

    /** A watermark. */
    @SuppressWarnings("try")
    void advanceTime(long time) throws Exception {
        try (SharedBufferAccessor<T> accessor = buffer.getAccessor()) {
            Tuple2<Collection<Map<String, List<T>>>, Collection<Tuple2<Map<String, List<T>>, Long>>> r =
                    nfa.advanceTime(accessor, state, time, skip);
            for (Map<String, List<T>> m : r.f0) {
                matches.add(format.apply(m));
            }
            for (Tuple2<Map<String, List<T>>, Long> t : r.f1) {
                timeouts.add(format.apply(t.f0) + "@" + t.f1);
            }
        }
    }

    /** The partial and the completed (not yet emitted) matches the NFA holds. */
    int runs() {
        return state.getPartialMatches().size() + state.getCompletedMatches().size();
    }

    @Override
    public void close() throws Exception {
        buffer.releaseCacheStatisticsTimer();
        nfa.close();
    }

    /** Conditions here never use their runtime context; Flink's composite conditions only require one. */
    private static final RuntimeContext NO_RUNTIME_CONTEXT = (RuntimeContext) Proxy.newProxyInstance(
            FlinkReference.class.getClassLoader(), new Class<?>[] {RuntimeContext.class}, (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.toString());
            });

    /** A KeyedStateStore for one key, holding map states in memory (all SharedBuffer needs). */
    private static KeyedStateStore inMemoryStateStore() {
        Map<String, MapState<?, ?>> states = new HashMap<>();
        return (KeyedStateStore) Proxy.newProxyInstance(FlinkReference.class.getClassLoader(),
                new Class<?>[] {KeyedStateStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getMapState") && args[0] instanceof MapStateDescriptor<?, ?> d) {
                        return states.computeIfAbsent(d.getName(), k -> new InMemoryMapState<>());
                    }
                    throw new UnsupportedOperationException(method.toString());
                });
    }

    private static final class InMemoryMapState<K, V> implements MapState<K, V> {
        private final Map<K, V> map = new LinkedHashMap<>();

        @Override
        public V get(K key) {
            return map.get(key);
        }

        @Override
        public void put(K key, V value) {
            map.put(key, value);
        }

        @Override
        public void putAll(Map<K, V> all) {
            map.putAll(all);
        }

        @Override
        public void remove(K key) {
            map.remove(key);
        }

        @Override
        public boolean contains(K key) {
            return map.containsKey(key);
        }

        @Override
        public Iterable<Map.Entry<K, V>> entries() {
            return map.entrySet();
        }

        @Override
        public Iterable<K> keys() {
            return map.keySet();
        }

        @Override
        public Iterable<V> values() {
            return map.values();
        }

        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return map.entrySet().iterator();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public void clear() {
            map.clear();
        }
    }
}
