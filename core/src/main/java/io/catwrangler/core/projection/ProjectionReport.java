package io.catwrangler.core.projection;

/**
 * What a projection pass did.
 *
 * @param events events handed in
 * @param imagesSaved rows written
 * @param imagesSkipped images whose row already had every event handed in (redelivery, duplicates)
 * @param imagesRefolded images whose events arrived with a gap and were folded again from the event store
 */
public record ProjectionReport(int events, int imagesSaved, int imagesSkipped, int imagesRefolded) {}
