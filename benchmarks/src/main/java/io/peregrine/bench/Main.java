package io.peregrine.bench;

import java.util.Arrays;

/**
 * Entry point of {@code benchmarks.jar}:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar fraud [options]   # FraudBenchmark: FlinkCEP vs cep-core
 * java -jar benchmarks/target/benchmarks.jar runtime [options] # RuntimeBenchmark: decode and whole jobs
 * java -jar benchmarks/target/benchmarks.jar e2e [options]     # E2eBenchmark: a JSON file through Job and FlinkCEP
 * java -jar benchmarks/target/benchmarks.jar features [options] # FeatureStoreBenchmark: 7 features, ingest and reads
 * java -jar benchmarks/target/benchmarks.jar checkpoint [options] # CheckpointBenchmark: heap vs RocksDB with checkpoints
 * java -jar benchmarks/target/benchmarks.jar jmh [JMH options]  # JMH, e.g. jmh NfaBenchmark -f 1
 * java -jar benchmarks/target/benchmarks.jar grpc [options]    # GrpcLoadBenchmark: GetFeatures open-loop latency
 * </pre>
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println("usage: java -jar benchmarks.jar fraud [--events N] [--seed S] [--pattern NAME|all]"
                    + " [--engines flink,peregrine] [--runs K] ...   (fraud --help for all options)");
            System.out.println("       java -jar benchmarks.jar runtime [--events 5m] [--parallelism 1,2] [--runs 3] ...");
            System.out.println("       java -jar benchmarks.jar e2e [--events N] [--runs K] [--file PATH] [--keep] ..."
                    + "   (e2e --help for all options)");
            System.out.println("       java -jar benchmarks.jar features [--events 10m] [--keys 100000] [--job-events 5m]");
            System.out.println("       java -jar benchmarks.jar checkpoint [--events 3m] [--cards 1m] [--interval 2s] ...");
            System.out.println("       java -jar benchmarks.jar jmh [JMH options, e.g. NfaBenchmark -f 1 -wi 3 -i 5]");
            System.out.println("       java -jar benchmarks.jar grpc [--rates 1000,5000,10000,20000] [--seconds 10] ..."
                    + "   (grpc --help for all options)");
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "fraud" -> FraudBenchmark.main(rest);
            case "runtime" -> RuntimeBenchmark.main(rest);
            case "e2e" -> E2eBenchmark.main(rest);
            case "features" -> FeatureStoreBenchmark.main(rest);
            case "checkpoint" -> CheckpointBenchmark.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "grpc" -> GrpcLoadBenchmark.main(rest);
            default -> {
                System.err.println("unknown command '" + args[0] + "': expected fraud, runtime, e2e, features, grpc, checkpoint or jmh");
                System.exit(64);
            }
        }
    }
}
