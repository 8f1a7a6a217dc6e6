package io.peregrine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code peregrine version}. */
@Command(name = "version", description = "Print the version of Peregrine and of the JVM.", mixinStandardHelpOptions = true)
final class VersionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
    }

    /** The version from the jar's manifest (or "development" when run from classes). */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"peregrine " + (v == null ? "0.1.0-SNAPSHOT" : v),
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
