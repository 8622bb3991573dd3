package io.catwrangler.classify;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.aws.S3Keys;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ClassifyRequestCodec;
import io.catwrangler.core.port.MalformedMessageException;
import io.catwrangler.events.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a message on the classify queue says. Two senders write to the queue: S3 (event notifications for objects
 * under {@code incoming/}) and ingest-fn ({@code POST /images} enqueues a {@link ClassifyRequest}).
 */
public sealed interface Notification {

  /** S3's {@code s3:TestEvent}, sent once when the notification is configured: nothing to do. */
  record TestEvent() implements Notification {}

  /**
   * S3 event records of created objects.
   *
   * @param ignored records of other event kinds (removals, say), counted for the log
   */
  record ObjectsCreated(List<S3Object> objects, int ignored) implements Notification {
    public ObjectsCreated {
      objects = List.copyOf(objects);
    }
  }

  /** A classify request from {@code POST /images}: the bytes are stored and the submission recorded already. */
  record Request(ClassifyRequest request) implements Notification {
    public Request {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * One created object.
   *
   * @param key decoded (S3 sends keys URL-encoded, {@code +} for a space)
   * @param eTag as S3 reported it; with bucket and key the identity of this arrival
   */
  record S3Object(String bucket, String key, long size, String eTag) {
    public S3Object {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(eTag, "etag");
    }
  }

  /** Thrown for a body that is none of the above: that message fails alone. */
  final class MalformedNotificationException extends RuntimeException {
    public MalformedNotificationException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Reads a message body.
   *
   * @throws MalformedNotificationException not JSON, or JSON of no known shape, or an S3 record without bucket, key
   *     or a decodable key
   */
  static Notification parse(String body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new MalformedNotificationException("the body is not JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedNotificationException("the body is not a JSON object", null);
    }
    if ("s3:TestEvent".equals(root.path("Event").asText(null))) {
      return new TestEvent();
    }
    JsonNode records = root.get("Records");
    if (records != null) {
      if (!records.isArray()) {
        throw new MalformedNotificationException("Records is not an array", null);
      }
      List<S3Object> objects = new ArrayList<>();
      int ignored = 0;
      for (JsonNode record : records) {
        String eventName = record.path("eventName").asText("");
        if (!"aws:s3".equals(record.path("eventSource").asText()) || !eventName.startsWith("ObjectCreated:")) {
          ignored++;
          continue;
        }
        JsonNode s3 = record.path("s3");
        String bucket = s3.path("bucket").path("name").asText(null);
        String rawKey = s3.path("object").path("key").asText(null);
        if (bucket == null || rawKey == null || rawKey.isEmpty()) {
          throw new MalformedNotificationException("an S3 record without bucket name or object key", null);
        }
        String key;
        try {
          key = S3Keys.decode(rawKey);
        } catch (IllegalArgumentException e) {
          throw new MalformedNotificationException("an S3 object key that does not URL-decode", e);
        }
        objects.add(
            new S3Object(bucket, key, s3.path("object").path("size").asLong(-1),
                s3.path("object").path("eTag").asText("")));
      }
      return new ObjectsCreated(objects, ignored);
    }
    try {
      return new Request(Requests.CODEC.decode(body));
    } catch (MalformedMessageException e) {
      throw new MalformedNotificationException("neither an S3 notification nor a classify request", e);
    }
  }

  /** The shared reader of classify requests. */
  final class Requests {
    static final ClassifyRequestCodec CODEC = new ClassifyRequestCodec();

    private Requests() {}
  }
}
