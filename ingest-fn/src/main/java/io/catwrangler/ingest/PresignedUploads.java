package io.catwrangler.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.api.Api;
import io.catwrangler.api.ApiRequest;
import io.catwrangler.api.ApiResponse;
import io.catwrangler.aws.ArrivalMetadata;
import io.catwrangler.aws.S3ImageStore;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.events.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * {@code POST /uploads} on AWS: a presigned S3 PUT to {@code incoming/{uuid}} for an image too large for the Function
 * URL's body, or for bulk uploads that should not pass through a function at all.
 *
 * <p>The client declares the exact size and SHA-256 of the bytes it will send ({@code {"size": n, "sha256": hex}});
 * both are signed into the URL ({@code Content-Length} and {@code x-amz-checksum-sha256}), so S3 itself refuses a
 * body of another length or content, and a URL cannot be reused for other bytes. {@code X-Batch-Id},
 * {@code X-Client-Id} and {@code X-File-Name}, as on {@code POST /images}, are signed in as the object's metadata
 * ({@link ArrivalMetadata}), so the image joins its batch when it arrives. The size is checked against the
 * image limit here; format and dimensions are checked by classify-fn when the object arrives. The URL lives
 * {@code CW_UPLOAD_URL_EXPIRES_SECONDS} (5 minutes by default).
 */
public final class PresignedUploads {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private final S3Presigner presigner;
  private final String bucket;
  private final ImageLimits limits;
  private final Duration expiresAfter;
  private final Clock clock;

  public PresignedUploads(S3Presigner presigner, String bucket, ImageLimits limits, Duration expiresAfter, Clock clock) {
    this.presigner = Objects.requireNonNull(presigner, "presigner");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.expiresAfter = Objects.requireNonNull(expiresAfter, "expires after");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Answers {@code POST /uploads}. Never throws for a bad request: 400 / 413 with the usual error body. */
  public ApiResponse presign(ApiRequest request) {
    JsonNode body;
    try {
      // strict (Json): a repeated field or anything after the object is refused, as on every route
      body = Json.MAPPER.readTree(request.body());
    } catch (IOException e) {
      return ApiResponse.error(400, "INVALID_JSON", "the body is a JSON object {\"size\": bytes, \"sha256\": hex}");
    }
    if (body == null || !body.isObject()) {
      return ApiResponse.error(400, "INVALID_JSON", "the body is a JSON object {\"size\": bytes, \"sha256\": hex}");
    }
    JsonNode size = body.get("size");
    JsonNode sha256 = body.get("sha256");
    if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 1) {
      return ApiResponse.error(400, "INVALID_PARAMETER", "size: the exact byte count of the image, at least 1");
    }
    if (sha256 == null || !sha256.isTextual() || !SHA256_HEX.matcher(sha256.asText()).matches()) {
      return ApiResponse.error(400, "INVALID_PARAMETER", "sha256: the image's SHA-256 as 64 hex digits");
    }
    long bytes = size.asLong();
    if (bytes > limits.maxBytes()) {
      return ApiResponse.error(
          413, "TOO_LARGE", "the image is " + bytes + " bytes, the limit is " + limits.maxBytes(),
          Map.of("size_bytes", bytes, "limit_bytes", limits.maxBytes()));
    }
    Map<String, String> metadata;
    try {
      metadata = ArrivalMetadata.forPresignedUpload(request.header("X-Batch-Id"), request.header("X-Client-Id"),
          request.header("X-File-Name").map(Api::percentDecoded));
    } catch (IllegalArgumentException e) {
      return ApiResponse.error(400, "INVALID_ID", e.getMessage());
    }
    String hex = sha256.asText().toLowerCase(java.util.Locale.ROOT);
    String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    String key = S3ImageStore.INCOMING_PREFIX + UUID.randomUUID();
    PresignedPutObjectRequest presigned =
        presigner.presignPutObject(
            p -> p.signatureDuration(expiresAfter)
                .putObjectRequest(o -> o.bucket(bucket).key(key).contentLength(bytes).checksumSHA256(checksum)
                    .metadata(metadata)));
    ObjectNode answer = Json.object();
    answer.put("method", "PUT");
    answer.put("url", presigned.url().toString());
    ObjectNode headers = answer.putObject("headers");
    presigned.signedHeaders().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        headers.put(name, String.join(",", values));
      }
    });
    answer.put("key", key);
    answer.put("image_id", hex);
    answer.put("size", bytes);
    answer.put("expires_at", presigned.expiration().toString());
    answer.putObject("links").put("image", "/images/" + hex);
    return ApiResponse.json(201, answer).withHeader("Cache-Control", "no-store");
  }

  /** The headers a client must send with the PUT, for tests: every signed one but Host. */
  static List<String> signedHeaderNames(PresignedPutObjectRequest presigned) {
    return presigned.signedHeaders().keySet().stream().filter(n -> !n.equalsIgnoreCase("host")).toList();
  }
}
