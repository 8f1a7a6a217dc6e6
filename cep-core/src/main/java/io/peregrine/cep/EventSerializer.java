package io.peregrine.cep;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Writes and reads the caller's events inside persisted NFA state. */
public interface EventSerializer<E> {

    void write(E event, DataOutput out) throws IOException;

    E read(DataInput in) throws IOException;
}
