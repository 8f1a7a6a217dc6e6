package io.peregrine.cli;

/** Exit codes of every command. */
public final class ExitCodes {

    private ExitCodes() {}

    public static final int OK = 0;
    /** Something failed while running. */
    public static final int FAILURE = 1;
    /** Bad arguments: unknown option, missing file, unknown stream name. */
    public static final int USAGE = 2;
    /** The program does not compile. */
    public static final int INVALID_PROGRAM = 3;
}
