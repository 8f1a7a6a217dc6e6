package io.peregrine.bench;

import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.grpc.ProtoValues;
import io.peregrine.grpc.ResponseEncoder;
import io.peregrine.grpc.v1.FeatureStatus;
import io.peregrine.grpc.v1.FeatureType;
import io.peregrine.grpc.v1.GetFeaturesResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's cost of turning one GetFeatures answer (N keys x 10 features, the shapes of the
 * {@code grpc} load benchmark) into wire bytes: through the generated message builders (what the
 * server did before) and through {@link ResponseEncoder} (what it does now). Run with
 * {@code -prof gc} to see the bytes allocated per response.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar jmh ResponseEncodingBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ResponseEncodingBenchmark {

    @Param({"1", "100"})
    int keys;

    private FeatureResponse response;
    private List<FeatureType> types;
    private byte[] header;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(7);
        List<String> names = new ArrayList<>();
        List<FeatureType> t = new ArrayList<>();
        for (int f = 0; f < 10; f++) {
            names.add("f" + f);
            t.add(f % 3 == 0 ? FeatureType.BIGINT : f % 3 == 1 ? FeatureType.DOUBLE : FeatureType.STRING);
        }
        List<KeyFeatures> rows = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            List<FeatureValue> v = new ArrayList<>();
            for (int f = 0; f < 10; f++) {
                v.add(FeatureValue.present(f % 3 == 0 ? (Object) r.nextLong(1000) : f % 3 == 1 ? (Object) (r.nextDouble() * 1000)
                        : "c" + r.nextInt(50)));
            }
            rows.add(new KeyFeatures("card-" + r.nextInt(100_000), true, 1_000_000L, v));
        }
        response = new FeatureResponse("card_features", names, rows, 1_000_000L, 999_000L);
        types = List.copyOf(t);
        header = ResponseEncoder.header(response.featureSet(), response.features(), types);
    }

    @Benchmark
    public byte[] generatedMessage() {
        FeatureResponse r = response;
        GetFeaturesResponse.Builder out = GetFeaturesResponse.newBuilder().setFeatureSet(r.featureSet())
                .addAllFeatures(r.features()).addAllTypes(types).setAsOfMillis(r.asOfMillis())
                .setWatermarkMillis(r.watermarkMillis());
        for (KeyFeatures k : r.rows()) {
            io.peregrine.grpc.v1.KeyFeatures.Builder kb = io.peregrine.grpc.v1.KeyFeatures.newBuilder()
                    .setKey(k.key()).setFound(true).setLastEventMillis(k.lastEventMillis());
            for (FeatureValue v : k.values()) {
                kb.addValues(io.peregrine.grpc.v1.FeatureValue.newBuilder().setStatus(FeatureStatus.PRESENT)
                        .setValue(ProtoValues.of(v.value())));
            }
            out.addRows(kb.build());
        }
        return out.build().toByteArray();
    }

    @Benchmark
    public byte[] directEncoder() {
        return ResponseEncoder.encode(header, response);
    }
}
