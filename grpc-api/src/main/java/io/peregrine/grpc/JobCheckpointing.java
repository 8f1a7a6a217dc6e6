package io.peregrine.grpc;

import io.peregrine.runtime.Job;
import io.peregrine.runtime.checkpoint.CheckpointManifest;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** AdminService's checkpoints and savepoints of a running {@link Job}. */
final class JobCheckpointing implements Checkpointing {

    private static final long TIMEOUT_SECONDS = 300;

    private final Job job;
    private final Path checkpointDir;
    private final AtomicReference<Checkpoint> last = new AtomicReference<>();

    /** @param checkpointDir the job's checkpoint directory, or null when it has none */
    JobCheckpointing(Job job, Path checkpointDir) {
        this.job = job;
        this.checkpointDir = checkpointDir;
    }

    @Override
    public Checkpoint checkpoint() {
        CheckpointManifest m = await(job.checkpoint());
        Checkpoint c = info(m, checkpointDir == null ? "" : checkpointDir.resolve(String.format("chk-%012d", m.id())).toString());
        last.set(c);
        return c;
    }

    @Override
    public Checkpoint savepoint(Path directory) {
        return info(await(job.savepoint(directory)), directory.toString());
    }

    @Override
    public Optional<Checkpoint> last() {
        Checkpoint c = last.get();
        long id = job.lastCheckpoint();
        if (c != null && c.id() == id) {
            return Optional.of(c);
        }
        // a periodic checkpoint completed since: what the job tells of it
        return id < 0 ? Optional.empty() : Optional.of(new Checkpoint(id,
                checkpointDir == null ? "" : checkpointDir.resolve(String.format("chk-%012d", id)).toString(), 0, 0));
    }

    private static Checkpoint info(CheckpointManifest m, String path) {
        long size = 0;
        for (CheckpointManifest.StateFile f : m.stateFiles()) {
            size += f.length();
        }
        return new Checkpoint(m.id(), path, m.timestampMillis(), size);
    }

    private static CheckpointManifest await(CompletableFuture<CheckpointManifest> f) {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the checkpoint", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the checkpoint took longer than " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
