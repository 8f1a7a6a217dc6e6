package io.peregrine.runtime.checkpoint;

import io.peregrine.runtime.source.SourcePosition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * What one checkpoint (or savepoint) holds: where every input was, the stream watermarks and
 * counters, how many bytes of each transactional output it covers, and the worker state files with
 * their lengths and checksums. Written last, after the state files, so a checkpoint is complete
 * exactly when its manifest exists and reads.
 *
 * <p>Format, version 1 (big-endian):
 * <pre>
 * int magic "PGCK", byte version, long id, boolean savepoint, long timestamp, int maxParallelism,
 * int n, n * stream(UTF name, long watermark, long records, long late, long decodeFailures),
 * int n, n * input(UTF stream, int local, UTF source, boolean hasPosition,
 *                  [int split, UTF splitName, long offset, long line], boolean ended, long maxTimestamp, long records),
 * int n, n * sink(UTF name, long committedLength),
 * int n, n * stateFile(UTF name, long length, long crc32),
 * int n, n * long outputRows,
 * long crc32 of every byte before it
 * </pre>
 */
public record CheckpointManifest(long id, boolean savepoint, long timestampMillis, int maxParallelism,
                                 List<StreamProgress> streams, List<InputProgress> inputs, List<SinkProgress> sinks,
                                 List<StateFile> stateFiles, List<Long> outputRows) {

    public static final int MAGIC = 0x5047434B;
    public static final int CURRENT_VERSION = 1;

    public CheckpointManifest {
        streams = List.copyOf(streams);
        inputs = List.copyOf(inputs);
        sinks = List.copyOf(sinks);
        stateFiles = List.copyOf(stateFiles);
        outputRows = List.copyOf(outputRows);
    }

    /** A stream's watermark and counters at the checkpoint. */
    public record StreamProgress(String name, long watermark, long records, long late, long decodeFailures) {}

    /**
     * One input at the checkpoint: where to resume reading (null for an input that cannot say), whether it
     * had ended, the highest event time it had produced (its watermark generator's state), records read.
     */
    public record InputProgress(String stream, int local, String source, SourcePosition position, boolean ended,
                                long maxTimestamp, long records) {}

    /** How many bytes of a transactional output the checkpoint covers. */
    public record SinkProgress(String name, long committedLength) {}

    /** A worker's state snapshot ({@code KeyGroupFormat}) in the checkpoint directory. */
    public record StateFile(String name, long length, long crc32) {}

    public long sinkLength(String name) {
        for (SinkProgress s : sinks) {
            if (s.name().equals(name)) {
                return s.committedLength();
            }
        }
        return -1;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(CURRENT_VERSION);
            out.writeLong(id);
            out.writeBoolean(savepoint);
            out.writeLong(timestampMillis);
            out.writeInt(maxParallelism);
            out.writeInt(streams.size());
            for (StreamProgress s : streams) {
                out.writeUTF(s.name());
                out.writeLong(s.watermark());
                out.writeLong(s.records());
                out.writeLong(s.late());
                out.writeLong(s.decodeFailures());
            }
            out.writeInt(inputs.size());
            for (InputProgress in : inputs) {
                out.writeUTF(in.stream());
                out.writeInt(in.local());
                out.writeUTF(in.source());
                out.writeBoolean(in.position() != null);
                if (in.position() != null) {
                    out.writeInt(in.position().split());
                    out.writeUTF(in.position().splitName());
                    out.writeLong(in.position().offset());
                    out.writeLong(in.position().line());
                }
                out.writeBoolean(in.ended());
                out.writeLong(in.maxTimestamp());
                out.writeLong(in.records());
            }
            out.writeInt(sinks.size());
            for (SinkProgress s : sinks) {
                out.writeUTF(s.name());
                out.writeLong(s.committedLength());
            }
            out.writeInt(stateFiles.size());
            for (StateFile f : stateFiles) {
                out.writeUTF(f.name());
                out.writeLong(f.length());
                out.writeLong(f.crc32());
            }
            out.writeInt(outputRows.size());
            for (long r : outputRows) {
                out.writeLong(r);
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IOException when the bytes are not a manifest, of an unknown version, truncated or corrupt
     */
    public static CheckpointManifest fromBytes(byte[] b) throws IOException {
        if (b.length < 13) {
            throw new IOException("manifest truncated (" + b.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        long stored = new DataInputStream(new ByteArrayInputStream(b, b.length - 8, 8)).readLong();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, 0, b.length - 8));
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a checkpoint manifest (magic " + Integer.toHexString(magic) + ")");
        }
        int version = in.readUnsignedByte();
        if (version < 1 || version > CURRENT_VERSION) {
            throw new IOException("unknown checkpoint manifest version " + version + " (this build reads 1.."
                    + CURRENT_VERSION + ")");
        }
        if (crc.getValue() != stored) {
            throw new IOException("manifest checksum mismatch (truncated or corrupt)");
        }
        long id = in.readLong();
        boolean savepoint = in.readBoolean();
        long ts = in.readLong();
        int maxParallelism = in.readInt();
        List<StreamProgress> streams = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            streams.add(new StreamProgress(in.readUTF(), in.readLong(), in.readLong(), in.readLong(), in.readLong()));
        }
        List<InputProgress> inputs = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            String stream = in.readUTF();
            int local = in.readInt();
            String source = in.readUTF();
            SourcePosition pos = null;
            if (in.readBoolean()) {
                pos = new SourcePosition(in.readInt(), in.readUTF(), in.readLong(), in.readLong());
            }
            inputs.add(new InputProgress(stream, local, source, pos, in.readBoolean(), in.readLong(), in.readLong()));
        }
        List<SinkProgress> sinks = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            sinks.add(new SinkProgress(in.readUTF(), in.readLong()));
        }
        List<StateFile> files = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            files.add(new StateFile(in.readUTF(), in.readLong(), in.readLong()));
        }
        List<Long> rows = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            rows.add(in.readLong());
        }
        if (in.available() != 0) {
            throw new IOException("manifest has " + in.available() + " unexpected trailing bytes");
        }
        return new CheckpointManifest(id, savepoint, ts, maxParallelism, streams, inputs, sinks, files, rows);
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("bad count " + n + " in manifest");
        }
        return n;
    }
}
