package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeSettingsFromTheFileAndLetFlagsOverrideThem() throws Exception {
        Path config = Files.writeString(dir.resolve("peregrine.properties"), """
                # for every command that has the option
                events = 5000
                # for bench only
                bench.runs = 1
                bench.parallelism = 1
                """);
        CliRunner.Result r = CliRunner.run("bench", "--config", config.toString(), "--program", "../examples/fraud.cep");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(", 1 run(s) each"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("1 +[0-9,]+ +[0-9,]+")), r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.matches("2 +[0-9,]+ +[0-9,]+")), "only parallelism 1:\n" + r.out());

        r = CliRunner.run("bench", "--config", config.toString(), "--runs", "2", "--program", "../examples/fraud.cep");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(", 2 run(s) each"), "the flag wins:\n" + r.out());
    }

    @Test
    void shouldRejectUnknownSettingsAndMissingFiles() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.properties"), "paralelism = 2\nrun.out = x\n");
        CliRunner.Result r = CliRunner.run("validate", "--config", config.toString(), "../examples/fraud.cep");
        assertEquals(2, r.exitCode());
        assertEquals("peregrine: config file " + config + ": unknown setting paralelism (keys are long option names, "
                + "alone or after a command name: parallelism, run.checkpoint-dir)\n", r.err());
        r = CliRunner.run("validate", "--config", dir.resolve("none.properties").toString(), "../examples/fraud.cep");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("peregrine: cannot read config file "), r.err());
    }
}
