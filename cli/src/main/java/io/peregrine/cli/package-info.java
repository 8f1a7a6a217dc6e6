/**
 * The {@code peregrine} command (picocli): one class per subcommand, {@link io.peregrine.cli.Main} as
 * the entry point, exit codes in {@link io.peregrine.cli.ExitCodes}.
 */
package io.peregrine.cli;
