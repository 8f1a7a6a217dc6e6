package io.peregrine.runtime.sink;

import io.peregrine.runtime.checkpoint.CrashPoints;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON-lines file published by two-phase commit. Records are appended to an in-progress file
 * ({@code .NAME.inprogress} beside the published one); {@link #preCommit} makes them durable and
 * says how many bytes a checkpoint covers; once the checkpoint is complete, {@link #commit} appends
 * the covered bytes the published file lacks. The published file therefore only ever holds output
 * of completed checkpoints: a reader sees no row twice and, once the job is recovered, none missing.
 * Committing the same length again does nothing, so commits replayed after a restore are harmless.
 *
 * <p>Writing and pre-committing happen on the producing thread; commit may run on another thread
 * (it only reads the in-progress file below the pre-committed length and writes the published one).
 */
public final class TransactionalFileSink<T> implements Sink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalFileSink.class);

    private final Path published;
    private final Path inProgress;
    private final FileChannel channel;
    private final OutputStream buffered;
    private final JsonLinesSink<T> lines;
    private final Object commitLock = new Object();
    private long committed;

    private TransactionalFileSink(Path published, Path inProgress, FileChannel channel, JsonEncoder<? super T> encoder,
                                  long committed) {
        this.published = published;
        this.inProgress = inProgress;
        this.channel = channel;
        this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        this.lines = new JsonLinesSink<>(published.toString(), buffered, encoder, false);
        this.committed = committed;
    }

    /** The in-progress file of a published file. */
    public static Path inProgressOf(Path published) {
        return published.resolveSibling("." + published.getFileName() + ".inprogress");
    }

    /**
     * Opens the sink for a job that starts afresh: both files empty.
     *
     * @throws SinkException naming the file when it cannot be created
     */
    public static <T> TransactionalFileSink<T> create(Path published, JsonEncoder<? super T> encoder) {
        return open(published, encoder, 0, true);
    }

    /**
     * Opens the sink for a job resumed from a checkpoint that covered {@code length} bytes: the in-progress
     * file is cut back to them and the published file completed up to them (the commit a crash may have cut
     * short). When the in-progress file is missing (a savepoint restored into a new directory), both start
     * empty.
     *
     * @throws SinkException when the in-progress file is shorter than the checkpoint says
     */
    public static <T> TransactionalFileSink<T> resume(Path published, JsonEncoder<? super T> encoder, long length) {
        if (!Files.exists(inProgressOf(published))) {
            LOG.info("{} has no in-progress file: starting it empty", published);
            return open(published, encoder, 0, true);
        }
        return open(published, encoder, length, false);
    }

    private static <T> TransactionalFileSink<T> open(Path published, JsonEncoder<? super T> encoder, long length,
                                                    boolean fresh) {
        Path inProgress = inProgressOf(published);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(inProgress, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            if (fresh) {
                ch.truncate(0);
                try (FileChannel pub = FileChannel.open(published, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    pub.truncate(0);
                    pub.force(true);
                }
            } else if (ch.size() < length) {
                throw new SinkException("cannot resume " + published + ": its in-progress file " + inProgress + " has "
                        + ch.size() + " bytes, the checkpoint covers " + length, null);
            } else {
                ch.truncate(length);
            }
            ch.position(length);
            TransactionalFileSink<T> sink = new TransactionalFileSink<>(published, inProgress, ch, encoder, 0);
            if (!fresh) {
                sink.commit(length);
            }
            return sink;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new SinkException("cannot open " + published + " (in progress: " + inProgress + "): " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // the first error is the one reported
            }
        }
    }

    @Override
    public void write(T record) {
        lines.write(record);
    }

    /** Visibility comes from commits only: flushing just empties the buffer into the in-progress file. */
    @Override
    public void flush() {
        lines.flush();
    }

    /** Makes everything written so far durable; returns the length a checkpoint taken now covers. */
    public long preCommit() {
        try {
            buffered.flush();
            channel.force(false);
            return channel.position();
        } catch (IOException e) {
            throw new SinkException("cannot write " + inProgress + ": " + e, e);
        }
    }

    /**
     * Publishes the in-progress bytes up to {@code length} (a pre-committed length of a completed
     * checkpoint): appends what the published file lacks and syncs it. Idempotent.
     */
    public void commit(long length) {
        synchronized (commitLock) {
            try (FileChannel pub = FileChannel.open(published, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                long have = pub.size();
                if (have > length) {
                    // only after falling back past a newer checkpoint that was corrupt: its output is withdrawn
                    LOG.warn("{} has {} bytes, more than the {} of the checkpoint restored: cutting it back",
                            published, have, length);
                    pub.truncate(length);
                    have = length;
                }
                while (have < length) {
                    long half = have + Math.max(1, (length - have) / 2);
                    have += channel.transferTo(have, (have < half ? half : length) - have, pub.position(have));
                    pub.position(have);
                    CrashPoints.reach("sink-commit-partial");
                }
                pub.force(true);
                committed = length;
            } catch (IOException e) {
                throw new SinkException("cannot publish " + published + ": " + e, e);
            }
        }
    }

    /** The published length after the last commit. */
    public long committed() {
        synchronized (commitLock) {
            return committed;
        }
    }

    /** Closes the in-progress file; anything written since the last commit stays unpublished. */
    @Override
    public void close() {
        try {
            buffered.flush();
            channel.close();
        } catch (IOException e) {
            throw new SinkException("cannot close " + inProgress + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return published.toString();
    }
}
