package io.peregrine.runtime.state;

class HeapStateBackendTest extends AbstractStateBackendTest {

    @Override
    protected StateBackend createBackend(KeyGroupRange groups) {
        return new HeapStateBackend(groups);
    }
}
