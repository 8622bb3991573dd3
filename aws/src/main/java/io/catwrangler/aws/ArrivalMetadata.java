package io.catwrangler.aws;

import io.catwrangler.api.Api;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ClientId;
import io.catwrangler.events.SubmissionSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an object under {@code incoming/} may say about its submission, as S3 user metadata ({@code x-amz-meta-*}):
 * the batch and client ids ({@code X-Batch-Id} and {@code X-Client-Id} of {@code POST /images}), the original file
 * name (percent-encoded UTF-8, as {@code X-File-Name}) and whether a presigned upload wrote it. {@code POST /uploads}
 * signs them into the URL it hands out; an upstream system that writes with its own credentials sets them on its
 * PutObject. Untrusted like any header: an id that is not valid is left out (and reported), never fails the image.
 */
public final class ArrivalMetadata {
  public static final String BATCH_ID = "batch-id";
  public static final String CLIENT_ID = "client-id";
  public static final String FILE_NAME = "file-name";
  public static final String SOURCE = "source";
  public static final String PRESIGNED = "presigned";

  private ArrivalMetadata() {}

  /** An arrival's upload and the metadata entries that were left out because they were not valid. */
  public record Applied(Upload upload, List<String> ignored) {}

  private static Optional<String> valid(String raw, Function<String, ?> parse, String name,
      List<String> ignored) {
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    try {
      parse.apply(raw.strip());
      return Optional.of(raw.strip());
    } catch (IllegalArgumentException e) {
      ignored.add(name);
      return Optional.empty();
    }
  }

  /**
   * The metadata {@code POST /uploads} signs into a presigned PUT.
   *
   * @throws IllegalArgumentException a batch or client id that is not valid (the caller answers 400)
   */
  public static Map<String, String> forPresignedUpload(Optional<String> batchId, Optional<String> clientId,
      Optional<String> fileName) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put(SOURCE, PRESIGNED);
    batchId.filter(b -> !b.isBlank()).ifPresent(b -> metadata.put(BATCH_ID, BatchId.of(b.strip()).value()));
    clientId.filter(c -> !c.isBlank()).ifPresent(c -> metadata.put(CLIENT_ID, ClientId.of(c.strip()).value()));
    fileName.filter(n -> !n.isBlank()).ifPresent(n -> metadata.put(FILE_NAME, Api.percentEncoded(n)));
    return metadata;
  }

  /**
   * The upload of an arrival's bytes: source S3 (or presigned), the file name from the metadata or else the key's last
   * segment, batch and client ids from the metadata when they are valid.
   */
  public static Applied upload(byte[] bytes, IncomingObject object) {
    Map<String, String> m = object.metadata();
    SubmissionSource source = PRESIGNED.equals(m.get(SOURCE)) ? SubmissionSource.PRESIGNED : SubmissionSource.S3;
    String key = object.key();
    String fileName = Optional.ofNullable(m.get(FILE_NAME)).filter(n -> !n.isBlank()).map(Api::percentDecoded)
        .orElse(key.substring(key.lastIndexOf('/') + 1));
    Upload upload = Upload.of(bytes, source).withFileName(fileName);
    List<String> ignored = new ArrayList<>();
    Optional<String> batch = valid(m.get(BATCH_ID), BatchId::of, BATCH_ID, ignored);
    Optional<String> client = valid(m.get(CLIENT_ID), ClientId::of, CLIENT_ID, ignored);
    if (batch.isPresent()) {
      upload = upload.withBatchId(batch.get());
    }
    if (client.isPresent()) {
      upload = upload.withClientId(client.get());
    }
    return new Applied(upload, List.copyOf(ignored));
  }
}
