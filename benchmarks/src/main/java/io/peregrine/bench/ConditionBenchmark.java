package io.peregrine.bench;

import io.peregrine.cep.Aggregate;
import io.peregrine.cep.AggregateKind;
import io.peregrine.cep.AfterMatchSkipStrategy;
import io.peregrine.cep.MatchCollector;
import io.peregrine.cep.Nfa;
import io.peregrine.cep.NfaProcessor;
import io.peregrine.cep.NfaState;
import io.peregrine.cep.Pattern;
import io.peregrine.dsl.Expressions;
import io.peregrine.dsl.Programs;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a condition compiled from the language costs next to the same condition written as a Java
 * lambda, in one run: a row predicate alone (the expression code generator), and a whole
 * card-testing pattern through the NFA (DEFINE conditions with a running AVG, compiled from the
 * language, against the hand-written pattern with cep-core's aggregate handle). Scores are rows
 * per second.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar jmh ConditionBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ConditionBenchmark {

    static final int ROWS = 1 << 16;
    static final int KEYS = 256;

    static final String CONDITION = "amount < 1.00 AND country IN ('US', 'CA') AND merchant <> 42";

    static final String PROGRAM = """
            CREATE STREAM tx (card BIGINT, amount DOUBLE, country STRING, merchant BIGINT, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts);
            CREATE PATTERN card_testing AS SELECT * FROM tx MATCH_RECOGNIZE (
              PARTITION BY card ORDER BY ts
              MEASURES B.amount AS big
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (S{3,} B) WITHIN INTERVAL '10' MINUTE
              DEFINE S AS S.amount < 1.00,
                     B AS B.amount > 500 AND B.amount > 100 * AVG(S.amount)
            );
            """;

    private Row[] rows;
    private int[] keyIndex;
    private Predicate<Row> compiled;
    private Predicate<Row> lambda;
    private Nfa<Row> dslNfa;
    private Nfa<Row> javaNfa;
    private NfaProcessor<Row> dslProcessor;
    private NfaProcessor<Row> javaProcessor;
    private NfaState<Row>[] dslStates;
    private NfaState<Row>[] javaStates;
    private long matches;
    private final MatchCollector<Row> count = m -> matches++;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Schema schema = Schema.builder().add("card", DataType.BIGINT).add("amount", DataType.DOUBLE)
                .add("country", DataType.STRING).add("merchant", DataType.BIGINT).add("ts", DataType.TIMESTAMP).build();
        SplittableRandom random = new SplittableRandom(42);
        String[] countries = {"US", "CA", "GB", "DE", "FR"};
        rows = new Row[ROWS];
        keyIndex = new int[ROWS];
        RowBuilder b = new RowBuilder(schema);
        for (int i = 0; i < ROWS; i++) {
            int key = random.nextInt(KEYS);
            double amount = random.nextInt(10) < 4 ? random.nextInt(100) / 100.0 : random.nextInt(10) == 0 ? 900 : random.nextInt(200);
            rows[i] = b.setLong(0, key).setDouble(1, amount).setString(2, countries[random.nextInt(countries.length)])
                    .setLong(3, random.nextInt(100)).setLong(4, i * 10L).build();
            keyIndex[i] = key;
        }
        compiled = Expressions.predicate(schema, CONDITION);
        lambda = r -> r.getDouble(1) < 1.00 && ("US".equals(r.getString(2)) || "CA".equals(r.getString(2))) && r.getLong(3) != 42;

        dslNfa = Programs.compile(PROGRAM).pattern("card_testing").orElseThrow().nfa();
        Pattern<Row> small = Pattern.<Row>begin("S", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(r -> r.getDouble(1) < 1.00).timesOrMore(3).consecutive().greedy();
        Aggregate<Row> count = small.aggregate(AggregateKind.COUNT, r -> r.getDouble(1));
        Aggregate<Row> sum = small.aggregate(AggregateKind.SUM, r -> r.getDouble(1));
        javaNfa = Nfa.compile(small.next("B").where((r, ctx) -> {
            double n = ctx.aggregate(count);
            double amount = r.getDouble(1);
            return amount > 500 && n > 0 && amount > 100 * (ctx.aggregate(sum) / n);
        }).within(Duration.ofMinutes(10)));
        dslProcessor = dslNfa.newProcessor();
        javaProcessor = javaNfa.newProcessor();
        if (compiledCount() != lambdaCount()) {
            throw new IllegalStateException("the compiled predicate and the lambda disagree");
        }
    }

    @SuppressWarnings("unchecked")
    @Setup(Level.Invocation)
    public void freshStates() {
        dslStates = new NfaState[KEYS];
        javaStates = new NfaState[KEYS];
        for (int i = 0; i < KEYS; i++) {
            dslStates[i] = dslNfa.newState();
            javaStates[i] = javaNfa.newState();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int predicateCompiled() {
        return compiledCount();
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int predicateLambda() {
        return lambdaCount();
    }

    private int compiledCount() {
        int n = 0;
        for (Row r : rows) {
            n += compiled.test(r) ? 1 : 0;
        }
        return n;
    }

    private int lambdaCount() {
        int n = 0;
        for (Row r : rows) {
            n += lambda.test(r) ? 1 : 0;
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long patternCompiled() {
        return run(dslProcessor, dslStates);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long patternLambda() {
        return run(javaProcessor, javaStates);
    }

    private long run(NfaProcessor<Row> processor, NfaState<Row>[] states) {
        matches = 0;
        for (int i = 0; i < ROWS; i++) {
            Row r = rows[i];
            processor.process(states[keyIndex[i]], r, r.getLong(4), count);
        }
        return matches;
    }
}
