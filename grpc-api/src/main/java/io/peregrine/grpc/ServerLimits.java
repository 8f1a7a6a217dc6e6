package io.peregrine.grpc;

/**
 * Limits that keep one client from harming the job or other clients.
 *
 * @param maxMessageBytes        largest request message accepted (gRPC answers RESOURCE_EXHAUSTED beyond it)
 * @param maxKeysPerRequest      keys per GetFeatures (INVALID_ARGUMENT beyond)
 * @param maxEventsPerBatch      events per IngestRequest (INVALID_ARGUMENT beyond)
 * @param maxConcurrentReads     GetFeatures calls served at once (RESOURCE_EXHAUSTED beyond)
 * @param maxUnacknowledgedBatches ingest batches a stream may have in flight before the server stops reading it
 * @param maxSubscribers         live MatchService subscriptions (RESOURCE_EXHAUSTED beyond)
 * @param subscriberBufferRows   rows a subscriber may fall behind before it is dropped
 * @param maxConcurrentCallsPerConnection HTTP/2 streams per connection
 */
public record ServerLimits(int maxMessageBytes, int maxKeysPerRequest, int maxEventsPerBatch, int maxConcurrentReads,
                           int maxUnacknowledgedBatches, int maxSubscribers, int subscriberBufferRows,
                           int maxConcurrentCallsPerConnection) {

    public static final ServerLimits DEFAULTS = new ServerLimits(4 << 20, 1_000, 10_000, 256, 8, 256, 4_096, 1_000);

    public ServerLimits {
        if (maxMessageBytes < 1024 || maxKeysPerRequest < 1 || maxEventsPerBatch < 1 || maxConcurrentReads < 1
                || maxUnacknowledgedBatches < 1 || maxSubscribers < 0 || subscriberBufferRows < 1
                || maxConcurrentCallsPerConnection < 1) {
            throw new IllegalArgumentException("bad server limits " + this);
        }
    }

    public ServerLimits withMaxKeysPerRequest(int n) {
        return new ServerLimits(maxMessageBytes, n, maxEventsPerBatch, maxConcurrentReads, maxUnacknowledgedBatches,
                maxSubscribers, subscriberBufferRows, maxConcurrentCallsPerConnection);
    }

    public ServerLimits withMaxEventsPerBatch(int n) {
        return new ServerLimits(maxMessageBytes, maxKeysPerRequest, n, maxConcurrentReads, maxUnacknowledgedBatches,
                maxSubscribers, subscriberBufferRows, maxConcurrentCallsPerConnection);
    }

    public ServerLimits withMaxConcurrentReads(int n) {
        return new ServerLimits(maxMessageBytes, maxKeysPerRequest, maxEventsPerBatch, n, maxUnacknowledgedBatches,
                maxSubscribers, subscriberBufferRows, maxConcurrentCallsPerConnection);
    }

    public ServerLimits withSubscribers(int max, int bufferRows) {
        return new ServerLimits(maxMessageBytes, maxKeysPerRequest, maxEventsPerBatch, maxConcurrentReads,
                maxUnacknowledgedBatches, max, bufferRows, maxConcurrentCallsPerConnection);
    }

    public ServerLimits withMaxMessageBytes(int n) {
        return new ServerLimits(n, maxKeysPerRequest, maxEventsPerBatch, maxConcurrentReads, maxUnacknowledgedBatches,
                maxSubscribers, subscriberBufferRows, maxConcurrentCallsPerConnection);
    }
}
