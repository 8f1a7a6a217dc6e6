package io.peregrine.bench;

import io.peregrine.cep.Match;
import io.peregrine.cep.MatchCollector;
import io.peregrine.cep.Nfa;
import io.peregrine.cep.NfaProcessor;
import io.peregrine.cep.NfaState;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The NFA hot path alone: {@link NfaProcessor#process} over pre-generated events already in
 * timestamp order, per-key states looked up by a precomputed index (no map, no sorter, no timers),
 * then one {@code advanceTime} per key to the end of time. The score is events per second.
 *
 * <p>The measured loop allocates nothing of its own: states are created in the per-invocation
 * set-up, events and key indexes are arrays built once, and the collector only counts. What
 * remains is what the engine allocates (new runs, Dewey versions, shared-buffer nodes).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar jmh NfaBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class NfaBenchmark {

    static final int EVENTS = 200_000;

    @Param({"small-then-large", "card-testing", "geo-velocity"})
    public String pattern;

    /** Keys; event time runs at cards/1000 events per second, so each card sees the fraud benchmark's rate. */
    @Param({"10000"})
    public int cards;

    private Txn[] events;
    private long[] timestamps;
    private int[] keyIndex;
    private Nfa<Txn> nfa;
    private NfaProcessor<Txn> processor;
    private NfaState<Txn>[] states;
    private final Counter counter = new Counter();

    static final class Counter implements MatchCollector<Txn> {
        long matches;

        @Override
        public void onMatch(Match<Txn> match) {
            matches++;
        }
    }

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        Txn[] arrival = TxnGenerator.generate(7, EVENTS, cards, cards / 1000.0);
        // per key in timestamp order, ties by arrival: what the sorter would release
        Integer[] order = new Integer[arrival.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(arrival[a].ts(), arrival[b].ts());
            return c != 0 ? c : Integer.compare(a, b);
        });
        events = new Txn[arrival.length];
        timestamps = new long[arrival.length];
        keyIndex = new int[arrival.length];
        LongObjectMap<int[]> ids = new LongObjectMap<>(cards);
        int next = 0;
        for (int i = 0; i < order.length; i++) {
            Txn t = arrival[order[i]];
            events[i] = t;
            timestamps[i] = t.ts();
            int[] id = ids.get(t.cardId());
            if (id == null) {
                id = new int[] {next++};
                ids.put(t.cardId(), id);
            }
            keyIndex[i] = id[0];
        }
        nfa = Nfa.compile(FraudPatterns.byLabel(pattern).peregrine());
        processor = nfa.newProcessor();
        states = new NfaState[next];
    }

    @Setup(Level.Invocation)
    public void freshStates() {
        for (int i = 0; i < states.length; i++) {
            states[i] = nfa.newState();
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void process(Blackhole bh) {
        Counter c = counter;
        NfaProcessor<Txn> p = processor;
        NfaState<Txn>[] st = states;
        Txn[] ev = events;
        long[] ts = timestamps;
        int[] keys = keyIndex;
        for (int i = 0; i < ev.length; i++) {
            p.process(st[keys[i]], ev[i], ts[i], c);
        }
        for (NfaState<Txn> s : st) {
            p.advanceTime(s, Long.MAX_VALUE, c);
        }
        bh.consume(c.matches);
    }
}
