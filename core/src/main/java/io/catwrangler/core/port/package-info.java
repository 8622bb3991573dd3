/**
 * The ports the use cases need, implemented by the adapter families (SQLite + filesystem in {@code local/},
 * DynamoDB/S3/SQS in {@code aws/}). Only JDK, events-schema and core types appear here. Every adapter is proven by
 * the contract suites in core's test-jar ({@code io.catwrangler.core.port.contract}). Time comes from
 * {@link java.time.Clock}, injected.
 *
 * <p>Adapters report an unreachable or timed-out backend as {@link io.catwrangler.core.port.StorageUnavailableException}
 * (transient) and a lost optimistic race as {@link io.catwrangler.core.port.ConcurrencyConflictException}.
 */
package io.catwrangler.core.port;
