package io.peregrine.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code peregrine completion bash|zsh}: a completion script for the shell (picocli's generator). */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script. Load it with:",
            "  source <(peregrine completion bash)        # bash; add it to ~/.bashrc to keep it",
            "  source <(peregrine completion zsh)         # zsh (uses bashcompinit)"})
final class CompletionCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new UserError(ExitCodes.USAGE, "completion scripts exist for bash and zsh, not '" + shell + "'");
        }
        String script = AutoComplete.bash("peregrine", spec.root().commandLine());
        if (shell.equals("zsh")) {
            // picocli's script runs in zsh through bashcompinit
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
