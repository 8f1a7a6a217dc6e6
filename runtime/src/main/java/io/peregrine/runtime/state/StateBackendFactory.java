package io.peregrine.runtime.state;

/** Creates the backend of one worker. */
@FunctionalInterface
public interface StateBackendFactory {

    /**
     * @param worker    0-based worker index (a backend may use it to name its files)
     * @param keyGroups the key groups that worker owns
     */
    StateBackend create(int worker, KeyGroupRange keyGroups);
}
