package io.peregrine.cli;

import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import io.peregrine.runtime.format.RowDecoder;
import io.peregrine.runtime.format.RowDecoders;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * One stream's input file read whole into memory, for the commands that replay it in one thread
 * ({@code explain --trace}, {@code evaluate}): rows decoded as the runtime decodes them (same
 * decoders, so the same dead letters), each with its line and, when the file has one, the value of
 * a label column the program does not declare (its patterns cannot read it).
 */
final class StreamFile {

    /** One decoded record in arrival order. */
    record Event(Row row, long timestamp, long line, String label) {}

    /** A record that did not decode. */
    record Rejected(long line, String reason) {}

    record Contents(List<Event> events, List<Rejected> rejected) {}

    private StreamFile() {}

    /**
     * @param labelColumn a column to read beside the stream's own (null for none); records without it get a null label
     */
    static Contents read(Path file, StreamDef stream, String labelColumn) {
        RowDecoder decoder = RowDecoders.forFormat(stream.format(), stream.schema());
        RowDecoder labels = labelColumn == null ? null
                : RowDecoders.forFormat(stream.format(), Schema.builder().add(labelColumn, DataType.STRING).build());
        decoder.startSplit();
        if (labels != null) {
            labels.startSplit();
        }
        List<Event> events = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        int ts = stream.rowtimeColumn();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(new BufferedInputStream(raw, 1 << 16))
                     : new BufferedInputStream(raw, 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            long lineNo = 0;
            int b;
            boolean more = true;
            while (more) {
                b = in.read();
                if (b == '\n' || b < 0) {
                    more = b >= 0;
                    if (b < 0 && line.size() == 0) {
                        break;
                    }
                    lineNo++;
                    byte[] bytes = line.toByteArray();
                    int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    line.reset();
                    RowDecoder.Status status = decoder.decode(bytes, 0, end);
                    String label = null;
                    if (labels != null && labels.decode(bytes, 0, end) == RowDecoder.Status.ROW) {
                        label = labels.row().getString(0);
                    }
                    if (status == RowDecoder.Status.ROW) {
                        Row row = decoder.row();
                        events.add(new Event(row, row.getLong(ts), lineNo, label));
                    } else if (status == RowDecoder.Status.FAILED) {
                        rejected.add(new Rejected(lineNo, decoder.failure()));
                    }
                } else {
                    line.write(b);
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCodes.USAGE, "no such file: " + file);
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        return new Contents(events, rejected);
    }
}
