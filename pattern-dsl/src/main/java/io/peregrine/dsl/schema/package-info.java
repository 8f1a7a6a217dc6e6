/** Types, schemas and the unboxed {@link io.peregrine.dsl.schema.Row} that patterns match and emit. */
package io.peregrine.dsl.schema;
