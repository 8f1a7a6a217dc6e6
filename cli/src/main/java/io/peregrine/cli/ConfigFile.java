package io.peregrine.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings from a properties file ({@code --config FILE} or {@code $PEREGRINE_CONFIG}): each key
 * is an option's long name without dashes, for every command that has it ({@code parallelism = 2})
 * or for one command ({@code run.checkpoint-dir = /var/lib/peregrine/checkpoints}). Flags on the
 * command line override the file; the file overrides built-in defaults. An unknown key is an error,
 * so a typo never passes silently.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {

    private final Properties settings;

    private ConfigFile(Properties settings) {
        this.settings = settings;
    }

    /** Reads the file named by {@code --config} in {@code args} (else {@code environment}) into {@code cl}. */
    static void install(CommandLine cl, String[] args, String environment) {
        String file = environment == null || environment.isEmpty() ? null : environment;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                file = args[i].substring("--config=".length());
            }
        }
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot read config file " + file + ": " + e.getMessage());
        }
        Set<String> known = new TreeSet<>();
        collect(cl, known);
        List<String> unknown = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            if (!known.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(null);
            throw new UserError(ExitCodes.USAGE, "config file " + file + ": unknown setting" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (keys are long option names, alone or after a command name: "
                    + "parallelism, run.checkpoint-dir)");
        }
        cl.setDefaultValueProvider(new ConfigFile(p));
    }

    private static void collect(CommandLine cl, Set<String> known) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            String name = name(o);
            if (name != null) {
                known.add(name);
                known.add(cl.getCommandName() + "." + name);
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            collect(sub, known);
        }
    }

    private static String name(OptionSpec o) {
        String longest = o.longestName();
        if (!longest.startsWith("--") || o.usageHelp() || o.versionHelp() || longest.equals("--config")) {
            return null;
        }
        return longest.substring(2);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || name(o) == null || o.command() == null) {
            return null;
        }
        String v = settings.getProperty(o.command().name() + "." + name(o));
        return v != null ? v : settings.getProperty(name(o));
    }
}
