package io.peregrine.grpc;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.dsl.SourceFile;
import io.peregrine.dsl.StreamDef;
import io.peregrine.feature.FeatureSetInfo;
import io.peregrine.feature.FeatureView;
import io.peregrine.grpc.v1.AdminServiceGrpc;
import io.peregrine.grpc.v1.CheckpointInfo;
import io.peregrine.grpc.v1.DeployRequest;
import io.peregrine.grpc.v1.DeployResponse;
import io.peregrine.grpc.v1.GetStatusRequest;
import io.peregrine.grpc.v1.JobStatus;
import io.peregrine.grpc.v1.RemoveRequest;
import io.peregrine.grpc.v1.SourceStatus;
import io.peregrine.grpc.v1.TriggerCheckpointRequest;
import io.peregrine.grpc.v1.TriggerSavepointRequest;
import io.peregrine.grpc.v1.ValidateProgramRequest;
import io.peregrine.grpc.v1.ValidateProgramResponse;
import io.peregrine.runtime.JobProgress;
import java.nio.file.Path;
import java.util.List;

/** AdminService: status from the served job, program validation, and honest refusals for what the runtime cannot do yet. */
final class AdminServiceImpl extends AdminServiceGrpc.AdminServiceImplBase {

    private static final long RATE_INTERVAL_NANOS = 1_000_000_000L;

    private final ServedJob job;
    private final Program program;
    private final FeatureView view;
    private final MatchHub hub;
    private final Checkpointing checkpoints;
    private long lastNanos;
    private long lastEvents;
    private double lastRate;

    AdminServiceImpl(ServedJob job, Program program, FeatureView view, MatchHub hub, Checkpointing checkpoints) {
        this.job = job;
        this.program = program;
        this.view = view;
        this.hub = hub;
        this.checkpoints = checkpoints;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<JobStatus> observer) {
        JobStatus.Builder b = JobStatus.newBuilder();
        if (job != null) {
            JobProgress p = job.job().progress();
            b.setState(job.state().name()).setEvents(p.events()).setUptimeSeconds(p.seconds())
                    .setEventsPerSecond(p.eventsPerSecond()).setRows(p.rows())
                    .setRecentEventsPerSecond(recentRate(p.events()));
            if (p.watermark() != Long.MIN_VALUE) {
                b.setWatermarkMillis(p.watermark());
            }
            if (job.failure() != null) {
                b.setFailure(String.valueOf(job.failure().getMessage()));
            }
            for (ServedJob.SourceInfo s : job.sources()) {
                SourceStatus.Builder sb = SourceStatus.newBuilder().setStream(s.stream()).setDescription(s.description());
                if (s.log() != null) {
                    sb.setAppended(s.log().appended()).setRead(s.log().read());
                }
                b.addSources(sb);
            }
        } else {
            b.setState("NO_JOB");
        }
        if (program != null) {
            for (CompiledPattern p : program.patterns()) {
                b.addPatterns(p.name());
            }
        }
        if (view != null) {
            for (FeatureSetInfo f : view.featureSets()) {
                b.addFeatureSets(f.name());
            }
        }
        if (checkpoints != null) {
            checkpoints.last().ifPresent(c -> b.setLastCheckpoint(info(c)));
        }
        b.setSubscribers(hub == null ? 0 : hub.subscribers());
        observer.onNext(b.build());
        observer.onCompleted();
    }

    private synchronized double recentRate(long events) {
        long now = System.nanoTime();
        if (lastNanos == 0) {
            lastNanos = now;
            lastEvents = events;
            return 0;
        }
        if (now - lastNanos >= RATE_INTERVAL_NANOS) {
            lastRate = (events - lastEvents) / ((now - lastNanos) / 1e9);
            lastNanos = now;
            lastEvents = events;
        }
        return lastRate;
    }

    private static CheckpointInfo info(Checkpointing.Checkpoint c) {
        return CheckpointInfo.newBuilder().setId(c.id()).setPath(c.path()).setCompletedMillis(c.completedMillis())
                .setSizeBytes(c.sizeBytes()).build();
    }

    @Override
    public void triggerCheckpoint(TriggerCheckpointRequest request, StreamObserver<CheckpointInfo> observer) {
        if (checkpoints == null) {
            observer.onError(Status.UNIMPLEMENTED.withDescription("this server runs no job").asRuntimeException());
            return;
        }
        try {
            observer.onNext(info(checkpoints.checkpoint()));
            observer.onCompleted();
        } catch (RuntimeException e) {
            observer.onError(Status.FAILED_PRECONDITION.withDescription("checkpoint failed: " + e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void triggerSavepoint(TriggerSavepointRequest request, StreamObserver<CheckpointInfo> observer) {
        if (request.getDirectory().isEmpty()) {
            observer.onError(Errors.invalid("directory", "directory is required"));
            return;
        }
        if (checkpoints == null) {
            observer.onError(Status.UNIMPLEMENTED.withDescription("this server runs no job").asRuntimeException());
            return;
        }
        try {
            observer.onNext(info(checkpoints.savepoint(Path.of(request.getDirectory()))));
            observer.onCompleted();
        } catch (RuntimeException e) {
            observer.onError(Status.FAILED_PRECONDITION.withDescription("savepoint failed: " + e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void deploy(DeployRequest request, StreamObserver<DeployResponse> observer) {
        String name = request.getName().isEmpty() ? "<program>" : request.getName();
        try {
            Programs.compile(name, request.getProgram());
        } catch (DslException e) {
            BadRequest.Builder bad = BadRequest.newBuilder();
            for (Diagnostic d : e.diagnostics()) {
                if (d.isError()) {
                    bad.addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("program")
                            .setDescription(d.render(e.source())));
                }
            }
            observer.onError(Errors.withDetails(Code.INVALID_ARGUMENT, "the program does not compile: "
                    + e.diagnostics().size() + " diagnostics", bad.build()));
            return;
        } catch (RuntimeException e) {
            observer.onError(Errors.invalid("program", "the program does not compile: " + e.getMessage()));
            return;
        }
        observer.onError(Status.UNIMPLEMENTED.withDescription(
                "the runtime cannot add or replace patterns or feature sets in a running job yet; restart with the new program")
                .asRuntimeException());
    }

    @Override
    public void remove(RemoveRequest request, StreamObserver<DeployResponse> observer) {
        String name = request.getName();
        boolean known = program != null && program.pattern(name).isPresent();
        if (!known && view != null) {
            known = view.featureSets().stream().anyMatch(f -> f.name().equals(name));
        }
        if (!known) {
            observer.onError(Status.NOT_FOUND.withDescription("no pattern or feature set " + name + " in the running job")
                    .asRuntimeException());
            return;
        }
        observer.onError(Status.UNIMPLEMENTED.withDescription(
                "the runtime cannot remove " + name + " from a running job yet; restart without it").asRuntimeException());
    }

    @Override
    public void validateProgram(ValidateProgramRequest request, StreamObserver<ValidateProgramResponse> observer) {
        String name = request.getName().isEmpty() ? "<program>" : request.getName();
        ValidateProgramResponse.Builder b = ValidateProgramResponse.newBuilder();
        try {
            Program p = Programs.compile(name, request.getProgram());
            b.setOk(true);
            for (StreamDef s : p.streams()) {
                b.addStreams(s.name());
            }
            for (CompiledPattern cp : p.patterns()) {
                b.addPatterns(cp.name());
            }
        } catch (DslException e) {
            b.setOk(e.diagnostics().stream().noneMatch(Diagnostic::isError));
            addDiagnostics(b, e.source(), e.diagnostics());
        } catch (RuntimeException e) {
            b.setOk(false).addDiagnostics(io.peregrine.grpc.v1.Diagnostic.newBuilder().setSeverity("ERROR")
                    .setMessage("internal compiler error: " + e).setRendered(name + ": internal compiler error: " + e));
        }
        observer.onNext(b.build());
        observer.onCompleted();
    }

    private static void addDiagnostics(ValidateProgramResponse.Builder b, SourceFile source, List<Diagnostic> ds) {
        for (Diagnostic d : ds) {
            int offset = d.span().start();
            b.addDiagnostics(io.peregrine.grpc.v1.Diagnostic.newBuilder()
                    .setSeverity(d.severity().name())
                    .setLine(source.line(offset))
                    .setColumn(source.column(offset))
                    .setMessage(d.message())
                    .setHint(d.hint() == null ? "" : d.hint())
                    .setRendered(d.render(source)));
        }
    }
}
