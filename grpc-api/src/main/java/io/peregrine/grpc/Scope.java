package io.peregrine.grpc;

/** What a bearer token may do. Scopes are independent: an admin token that should also read lists both. */
public enum Scope {
    /** FeatureService, MatchService, AdminService.GetStatus. */
    READ,
    /** IngestService. */
    INGEST,
    /** The rest of AdminService: checkpoints, deploys, validation. */
    ADMIN
}
