package io.peregrine.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Status errors with structured details (google.rpc.BadRequest) in the trailers. */
final class Errors {

    private Errors() {}

    /** INVALID_ARGUMENT naming the offending request field. */
    static StatusRuntimeException invalid(String field, String description) {
        return withDetails(Code.INVALID_ARGUMENT, description,
                BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField(field).setDescription(description)).build());
    }

    static StatusRuntimeException withDetails(Code code, String description, BadRequest details) {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(description)
                .addDetails(Any.pack(details))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }
}
