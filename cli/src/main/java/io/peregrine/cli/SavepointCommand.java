package io.peregrine.cli;

import io.grpc.StatusRuntimeException;
import io.peregrine.grpc.PeregrineClient;
import io.peregrine.grpc.v1.CheckpointInfo;
import io.peregrine.grpc.v1.TriggerSavepointRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code peregrine savepoint DIR}: a savepoint of a running {@code peregrine serve}, for {@code run --from-savepoint}. */
@Command(name = "savepoint", mixinStandardHelpOptions = true,
        description = {"Take a savepoint of a running 'peregrine serve' into DIR (on the server's machine): the job's",
            "state and source positions in the portable checkpoint format, restorable with 'run --from-savepoint DIR' at",
            "any parallelism and with either state backend. Needs a token with the admin scope when the server has tokens."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:written", "1:the server failed, cannot be reached or could not write it", "2:bad arguments"})
final class SavepointCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "A directory that holds no savepoint yet.")
    Path directory;

    @CommandLine.Mixin
    ServerOptions server = new ServerOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CheckpointInfo info;
        try (PeregrineClient client = server.client()) {
            info = client.adminStub().triggerSavepoint(TriggerSavepointRequest.newBuilder()
                    .setDirectory(directory.toAbsolutePath().toString()).build());
        } catch (StatusRuntimeException e) {
            throw server.failure(e);
        }
        spec.commandLine().getOut().printf("savepoint %d written to %s (%,d bytes of state)%n", info.getId(), info.getPath(),
                info.getSizeBytes());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
