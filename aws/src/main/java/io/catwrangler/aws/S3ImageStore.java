package io.catwrangler.aws;

import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.core.image.ImageTooLargeException;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.events.ImageId;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Image bytes in one S3 bucket:
 *
 * <ul>
 *   <li>{@code images/{sha256}}: content-addressed and kept ({@link ImageStore}). A put sends
 *       {@code x-amz-checksum-sha256}, so S3 itself refuses bytes that are not the image id's, and
 *       {@code If-None-Match: *}, so concurrent puts of one image cannot overwrite each other; a HeadObject first
 *       saves the upload when the image is there already.
 *   <li>{@code incoming/…}: where arrivals land (presigned uploads, upstream PutObject). {@link #headIncoming} gives
 *       the size before any download, {@link #readIncoming} refuses an object over the limit without reading it and
 *       reads exactly the object that was checked (If-Match on its ETag), {@link #promote} copies it to
 *       {@code images/{sha256}} server-side.
 * </ul>
 *
 * Keys from S3 event notifications are URL-encoded: decode them with {@link S3Keys#decode} first.
 */
public final class S3ImageStore implements ImageStore {
  public static final String IMAGES_PREFIX = "images/";
  public static final String INCOMING_PREFIX = "incoming/";

  private final S3Client s3;
  private final String bucket;

  public S3ImageStore(S3Client s3, String bucket) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  public String bucket() {
    return bucket;
  }

  /** The key of an image's bytes: {@code images/{sha256}}. */
  public static String imageKey(ImageId imageId) {
    return IMAGES_PREFIX + imageId.value();
  }

  @Override
  public String put(ImageId imageId, byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    ImageId actual = ImageId.sha256Of(bytes);
    if (!actual.equals(imageId)) {
      throw new IllegalArgumentException("bytes with sha256 " + actual + " stored as image " + imageId);
    }
    String key = imageKey(imageId);
    if (exists(imageId)) {
      return key;
    }
    String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(imageId.value()));
    try {
      s3.putObject(
          p -> p.bucket(bucket).key(key).ifNoneMatch("*").checksumSHA256(checksum).contentLength((long) bytes.length),
          RequestBody.fromBytes(bytes));
    } catch (S3Exception e) {
      // 412: the key exists (If-None-Match); 409: a concurrent put of the same key is in flight. Either way the
      // same bytes are, or are about to be, there: content addressing makes the loser's work redundant.
      if (e.statusCode() != 412 && e.statusCode() != 409) {
        throw AwsFailures.failed("put " + key, e);
      }
    } catch (SdkException e) {
      throw AwsFailures.failed("put " + key, e);
    }
    return key;
  }

  @Override
  public Optional<byte[]> get(ImageId imageId) {
    String key = imageKey(imageId);
    try {
      return Optional.of(
          s3.getObjectAsBytes(g -> g.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (e.statusCode() == 404 && !"NoSuchBucket".equals(code)) {
        return Optional.empty();
      }
      throw AwsFailures.failed("get " + key, e);
    } catch (SdkException e) {
      throw AwsFailures.failed("get " + key, e);
    }
  }

  @Override
  public boolean exists(ImageId imageId) {
    return head(imageKey(imageId)).isPresent();
  }

  /**
   * The arrival's size and ETag, from HeadObject: nothing is downloaded.
   *
   * @param key the decoded key, under {@code incoming/}
   * @return empty when there is no such object (deleted, or expired by the lifecycle rule, before it was handled)
   */
  public Optional<IncomingObject> headIncoming(String key) {
    requireIncoming(key);
    return head(key).map(h -> new IncomingObject(key, h.contentLength(), h.eTag(), h.metadata()));
  }

  /**
   * The arrival's bytes, if it is within {@code maxBytes}: the size from HeadObject is checked before the
   * download, and the download stops past {@code maxBytes} whatever S3 sends.
   *
   * @throws ImageTooLargeException more than {@code maxBytes}; nothing was downloaded
   * @throws StorageUnavailableException S3 could not be reached, or the object was replaced or deleted since
   *     {@link #headIncoming} (handle the message again: the next attempt sees the object as it is now)
   */
  public byte[] readIncoming(IncomingObject object, long maxBytes) throws ImageTooLargeException {
    if (object.size() > maxBytes) {
      throw new ImageTooLargeException(object.size(), maxBytes);
    }
    requireIncoming(object.key());
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(g -> g.bucket(bucket).key(object.key()).ifMatch(object.eTag()))) {
      byte[] bytes = readAtMost(in, maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new ImageTooLargeException(bytes.length, maxBytes);
      }
      return bytes;
    } catch (S3Exception e) {
      throw AwsFailures.failed(
          "get " + object.key() + (e.statusCode() == 412 ? " (replaced since it was checked)" : ""), e);
    } catch (SdkException e) {
      throw AwsFailures.failed("get " + object.key(), e);
    } catch (IOException e) {
      throw new StorageUnavailableException("get " + object.key() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Copies the arrival to {@code images/{sha256}} inside S3 (CopyObject, only if its ETag is still the one that was
   * read). No HeadObject first: the key is content-addressed, so copying over an image that is there already writes
   * the same bytes, and one request is cheaper than two for the usual new image.
   *
   * @param imageId the sha256 of the bytes {@link #readIncoming} returned for {@code object}
   * @return the image's storage key
   */
  public String promote(IncomingObject object, ImageId imageId) {
    requireIncoming(object.key());
    String key = imageKey(imageId);
    try {
      s3.copyObject(
          c -> c.sourceBucket(bucket)
              .sourceKey(object.key())
              .copySourceIfMatch(object.eTag())
              .destinationBucket(bucket)
              .destinationKey(key));
    } catch (SdkException e) {
      throw AwsFailures.failed("copy " + object.key() + " to " + key, e);
    }
    return key;
  }

  /** Removes an arrival once handled (the bucket's lifecycle rule removes forgotten ones). Idempotent. */
  public void deleteIncoming(String key) {
    requireIncoming(key);
    try {
      s3.deleteObject(d -> d.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw AwsFailures.failed("delete " + key, e);
    }
  }

  private Optional<HeadObjectResponse> head(String key) {
    try {
      return Optional.of(s3.headObject(h -> h.bucket(bucket).key(key)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw AwsFailures.failed("head " + key, e);
    } catch (SdkException e) {
      throw AwsFailures.failed("head " + key, e);
    }
  }

  private static void requireIncoming(String key) {
    Objects.requireNonNull(key, "key");
    if (!key.startsWith(INCOMING_PREFIX) || key.length() == INCOMING_PREFIX.length()) {
      throw new IllegalArgumentException("not an arrival under " + INCOMING_PREFIX + ": " + key);
    }
  }

  private static byte[] readAtMost(InputStream in, long limit) throws IOException {
    return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
  }
}
