package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    private static final String STREAM = "CREATE STREAM tx (card STRING, amount DOUBLE, ts TIMESTAMP(3),\n"
            + "  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);\n";

    @Test
    void aValidProgramPrintsOkAndExitsZero() throws Exception {
        Path p = Files.writeString(dir.resolve("ok.cep"), STREAM + "CREATE PATTERN p AS SELECT * FROM tx MATCH_RECOGNIZE (\n"
                + "  PARTITION BY card ORDER BY ts MEASURES A.amount AS a PATTERN (A B) DEFINE A AS A.amount < 1);");
        CliRunner.Result r = CliRunner.run("validate", p.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("ok: 1 stream, 1 pattern\n", r.out());
    }

    @Test
    void anInvalidProgramPrintsDiagnosticsAndExitsThree() throws Exception {
        Path p = Files.writeString(dir.resolve("bad.cep"), STREAM + "CREATE PATTERN p AS SELECT * FROM tx MATCH_RECOGNIZE (\n"
                + "  ORDER BY ts PATTERN (A B) DEFINE A AS A.amout < 1);");
        CliRunner.Result r = CliRunner.run("validate", p.toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().startsWith(p + ":4:43: error: unknown column 'amout' in stream tx\n"), r.err());
        assertTrue(r.err().contains("hint: did you mean 'amount'?"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMissingFileIsOneLineAndExitsTwo() {
        CliRunner.Result r = CliRunner.run("validate", dir.resolve("nope.cep").toString());
        assertEquals(2, r.exitCode());
        assertEquals("peregrine: no such file: " + dir.resolve("nope.cep") + "\n", r.err());
    }

    @Test
    void badArgumentsExitTwo() {
        assertEquals(2, CliRunner.run("validate").exitCode());
        assertEquals(2, CliRunner.run("validate", "--nonsense", "x").exitCode());
        assertEquals(2, CliRunner.run("frobnicate").exitCode());
    }

    @Test
    void versionAndHelp() {
        CliRunner.Result v = CliRunner.run("version");
        assertEquals(0, v.exitCode());
        assertTrue(v.out().startsWith("peregrine "), v.out());
        CliRunner.Result h = CliRunner.run("--help");
        assertEquals(0, h.exitCode());
        assertTrue(h.out().contains("validate"), h.out());
    }
}
