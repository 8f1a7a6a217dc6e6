package io.peregrine.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.runtime.source.SourcePosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStorageTest {

    @TempDir
    Path dir;

    private static CheckpointManifest manifest(long id, List<CheckpointManifest.StateFile> files) {
        return new CheckpointManifest(id, false, 1_700_000_000_000L, 128,
                List.of(new CheckpointManifest.StreamProgress("transactions", 41, 100, 2, 3)),
                List.of(new CheckpointManifest.InputProgress("transactions", 0, "in.jsonl",
                        new SourcePosition(1, "b.jsonl", 4096, 77), false, 2_041, 100),
                        new CheckpointManifest.InputProgress("transactions", 1, "stdin", null, true, Long.MIN_VALUE, 0)),
                List.of(new CheckpointManifest.SinkProgress("p.jsonl", 12)), files, List.of(5L, 0L));
    }

    private CheckpointStorage.Loaded write(CheckpointStorage storage, long id, byte[] state) {
        Path d = storage.create(id);
        CheckpointManifest.StateFile f = CheckpointStorage.writeStateFile(d, "worker-0.state", out -> out.write(state));
        CheckpointStorage.writeManifest(d, manifest(id, List.of(f)));
        return CheckpointStorage.load(d);
    }

    @Test
    void shouldReadBackWhatItWrote() {
        CheckpointStorage storage = new CheckpointStorage(dir, 3);
        CheckpointStorage.Loaded l = write(storage, 7, new byte[] {1, 2, 3});
        CheckpointManifest m = l.manifest();
        assertEquals(manifest(7, m.stateFiles()), m);
        assertEquals(3, m.stateFiles().get(0).length());
        assertEquals(12, m.sinkLength("p.jsonl"));
        assertEquals(-1, m.sinkLength("q.jsonl"));
    }

    @Test
    void shouldSkipATruncatedOrCorruptNewestCheckpoint() throws IOException {
        CheckpointStorage storage = new CheckpointStorage(dir, 5);
        write(storage, 1, new byte[] {1});
        write(storage, 2, new byte[] {2, 2});
        write(storage, 3, new byte[] {3, 3, 3});
        storage.create(4); // cut short before its manifest
        assertEquals(3, storage.latest().orElseThrow().manifest().id());

        Path state3 = storage.directoryOf(3).resolve("worker-0.state");
        Files.write(state3, new byte[] {3, 9, 3}); // same length, flipped byte
        assertEquals(2, storage.latest().orElseThrow().manifest().id());

        Path manifest2 = storage.directoryOf(2).resolve(CheckpointStorage.MANIFEST);
        byte[] b = Files.readAllBytes(manifest2);
        Files.write(manifest2, Arrays.copyOf(b, b.length - 5)); // truncated
        assertEquals(1, storage.latest().orElseThrow().manifest().id());
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointStorage.load(storage.directoryOf(2)));
        assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains(manifest2.toString()), e.getMessage());
    }

    @Test
    void shouldKeepTheNewestCompleteCheckpoints() {
        CheckpointStorage storage = new CheckpointStorage(dir, 2);
        for (long id = 1; id <= 5; id++) {
            write(storage, id, new byte[] {(byte) id});
            storage.retain();
        }
        storage.create(6);
        storage.retain();
        assertEquals(List.of(6L, 5L, 4L), storage.ids(), "two complete and the attempt in progress");
    }

    @Test
    void shouldParseDurations() {
        assertEquals(Duration.ofMillis(500), CheckpointSettings.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(10), CheckpointSettings.parseDuration("10s"));
        assertEquals(Duration.ofMinutes(5), CheckpointSettings.parseDuration("5m"));
        assertEquals(Duration.ofHours(1), CheckpointSettings.parseDuration("1h"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointSettings.parseDuration("5 minutes"));
        assertEquals("bad duration '5 minutes': unknown unit ' minutes' (ms, s, m, h)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CheckpointSettings.parseDuration("0s"));
        assertThrows(IllegalArgumentException.class, () -> CheckpointSettings.parseDuration("s"));
    }
}
