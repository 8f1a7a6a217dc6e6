package io.peregrine.grpc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The child JVM of {@link IngestCrashTest}: serves the test program with its ingest log in args[0], writes its port to args[1]. */
public final class CrashServerMain {

    private CrashServerMain() {}

    public static void main(String[] args) throws Exception {
        ServedJob job = ServedJob.start(Fixtures.program(), Map.of(), Path.of(args[0]),
                new MatchHub(Fixtures.program(), ServerLimits.DEFAULTS), null, b -> b.parallelism(1));
        PeregrineServer server = PeregrineServer.builder().port(0).job(job).start();
        Path tmp = Path.of(args[1] + ".tmp");
        Files.writeString(tmp, Integer.toString(server.port()));
        Files.move(tmp, Path.of(args[1]));
        server.awaitTermination();
    }
}
