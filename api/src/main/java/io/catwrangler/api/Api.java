package io.catwrangler.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.error.RequestException;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.image.ImageTooLargeException;
import io.catwrangler.core.image.UnsupportedFormatException;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.ingest.IngestResult;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.label.RecordLabel;
import io.catwrangler.core.notify.NotificationDeadLetters;
import io.catwrangler.core.port.BatchResult;
import io.catwrangler.core.port.ClassifyDeadLetters;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.StorageFullException;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.query.ImageAnswer;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.query.ReadImageContent;
import io.catwrangler.core.quality.MeasureQuality;
import io.catwrangler.core.query.StoredImage;
import io.catwrangler.core.replay.ReplayEvents;
import io.catwrangler.core.replay.ReplayReport;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ClientId;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.Json;
import io.catwrangler.events.SubmissionSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The HTTP API (ARCHITECTURE §4), defined once: the embedded Jetty server and the AWS Function URL handlers both turn
 * their request into an {@link ApiRequest}, call {@link #handle}, and send the {@link ApiResponse} back. Routes:
 * {@link Route}. Errors are JSON {@code {"error": CODE, "message": …}}; {@link #handle} never throws and never puts a
 * stack trace in a response.
 *
 * <p>What stays with the transport: reading the body within {@link #bodyLimit} (refusing a larger one with
 * {@link #tooLarge} before reading it), authentication, access logs and metrics (labelled by {@link #route}).
 */
public final class Api {
  /** The largest non-upload body (a replay request): a few parameters. */
  public static final long SMALL_BODY_LIMIT = 64 * 1024;
  /** What a multipart form may add around the image: boundaries, part headers, a few fields. */
  public static final long MULTIPART_OVERHEAD = 64 * 1024;

  public static final int DEFAULT_DEAD_LETTER_LIMIT = 100;
  /** Rows of a batch's export read from the view at a time: what a streamed export holds in memory. */
  public static final int EXPORT_PAGE = 500;
  /** The most bytes of results one bounded response holds (Function URL responses are at most 6 MB). */
  static final int MAX_RESULTS_BYTES = 4 * 1024 * 1024;

  /** Dead-letter ids are the queue adapter's handles; this alphabet keeps them safe in paths and logs. */
  private static final Pattern DEAD_LETTER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private static final System.Logger LOG = System.getLogger(Api.class.getName());

  /**
   * What {@code GET /healthz} reports.
   *
   * @param details extra fields for the body (queue depth, say): JSON-compatible values
   */
  public record Health(boolean healthy, Map<String, Object> details) {
    public Health {
      details = Map.copyOf(details);
    }

    public static Health ok() {
      return new Health(true, Map.of());
    }
  }

  private final Supplier<Health> health;
  private final Optional<IngestImage> ingest;
  private final Optional<QueryResults> query;
  private final Optional<ReplayEvents> replay;
  private final Optional<ClassifyDeadLetters> deadLetters;
  private final Optional<ReadImageContent> content;
  private final Optional<RecordLabel> labelRecording;
  private final Optional<MeasureQuality> quality;
  private final Optional<NotificationDeadLetters> notifications;
  private final int resultsPerResponse;

  private Api(Builder b) {
    this.health = b.health;
    this.ingest = Optional.ofNullable(b.ingest);
    this.query = Optional.ofNullable(b.query);
    this.replay = Optional.ofNullable(b.replay);
    this.deadLetters = Optional.ofNullable(b.deadLetters);
    this.content = Optional.ofNullable(b.content);
    this.labelRecording = Optional.ofNullable(b.labelRecording);
    this.quality = Optional.ofNullable(b.quality);
    this.notifications = Optional.ofNullable(b.notifications);
    this.resultsPerResponse = b.resultsPerResponse;
  }

  /** An API serving no route group yet but {@code GET /healthz} (always ok) and {@code GET /openapi.json}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this API's route groups, to serve one more or one differently. */
  public Builder toBuilder() {
    Builder b = new Builder().health(health).resultsPerResponse(resultsPerResponse);
    ingest.ifPresent(b::ingest);
    query.ifPresent(b::query);
    replay.ifPresent(b::replay);
    deadLetters.ifPresent(b::deadLetters);
    content.ifPresent(b::content);
    labelRecording.ifPresent(b::labelRecording);
    quality.ifPresent(b::quality);
    notifications.ifPresent(b::notificationDeadLetters);
    return b;
  }

  /**
   * The route groups one deployment serves, each from the use case behind it. A route whose group is not served
   * answers 501 {@code NOT_IMPLEMENTED} (the notification dead letters 404: a deployment that sends no webhooks).
   */
  public static final class Builder {
    private Supplier<Health> health = Health::ok;
    private IngestImage ingest;
    private QueryResults query;
    private ReplayEvents replay;
    private ClassifyDeadLetters deadLetters;
    private ReadImageContent content;
    private RecordLabel labelRecording;
    private MeasureQuality quality;
    private NotificationDeadLetters notifications;
    private int resultsPerResponse = Integer.MAX_VALUE;

    private Builder() {}

    /** Asked on every {@code GET /healthz}; must be cheap. */
    public Builder health(Supplier<Health> health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /** {@code POST /images}; its limits also bound the body the transport reads ({@link #bodyLimit}). */
    public Builder ingest(IngestImage ingest) {
      this.ingest = Objects.requireNonNull(ingest, "ingest");
      return this;
    }

    /** {@code GET /images/{id}}, {@code /images/{id}/events}, {@code /batches/{id}} and {@code /batches/{id}/results}. */
    public Builder query(QueryResults query) {
      this.query = Objects.requireNonNull(query, "query");
      return this;
    }

    /** {@code POST /admin/replay}. */
    public Builder replay(ReplayEvents replay) {
      this.replay = Objects.requireNonNull(replay, "replay");
      return this;
    }

    /** {@code GET /admin/dead-letters} and its retry routes: the classify queue's dead letters. */
    public Builder deadLetters(ClassifyDeadLetters deadLetters) {
      this.deadLetters = Objects.requireNonNull(deadLetters, "dead letters");
      return this;
    }

    /** {@code GET /images/{id}/content} (the web page's image view). */
    public Builder content(ReadImageContent content) {
      this.content = Objects.requireNonNull(content, "content");
      return this;
    }

    /**
     * {@code POST /images/{id}/labels}. On AWS the corrections routes are on two functions (the write on ingest's
     * URL, the read on query's), so each group stands alone.
     */
    public Builder labelRecording(RecordLabel record) {
      this.labelRecording = Objects.requireNonNull(record, "record");
      return this;
    }

    /** {@code GET /quality}: the model measured against people's labels. */
    public Builder quality(MeasureQuality quality) {
      this.quality = Objects.requireNonNull(quality, "quality");
      return this;
    }

    /** The notification dead-letter routes. */
    public Builder notificationDeadLetters(NotificationDeadLetters deadLetters) {
      this.notifications = Objects.requireNonNull(deadLetters, "notification dead letters");
      return this;
    }

    /**
     * Answer {@code GET /batches/{id}/results} with at most {@code rows} rows (and 4 MiB) a response and a
     * {@code Link: <…?cursor=…>; rel="next"} to the rest, for a transport that cannot stream (a Function URL's
     * buffered response is at most 6 MB). Without it the whole export is one streamed response.
     */
    public Builder resultsPerResponse(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("a response holds at least one row");
      }
      this.resultsPerResponse = rows;
      return this;
    }

    public Api build() {
      return new Api(this);
    }
  }

  /** The use case of a route group this API serves, or 501 for one it does not. */
  private static <T> T served(Optional<T> group, String doesNot) {
    return group.orElseThrow(() -> new ApiException(501, "NOT_IMPLEMENTED", "this server does not " + doesNot));
  }

  /** The route a method and path go to; empty for a path no route has (404) or a method it does not take (405). */
  public static Optional<Route> route(String method, String path) {
    List<String> segments = Route.segmentsOf(path);
    for (Route route : Route.values()) {
      if (route.method().equalsIgnoreCase(method) && route.matchesPath(segments)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  /**
   * The most bytes the transport should read for this request; a larger body is refused with {@link #tooLarge}
   * (before reading, when a {@code Content-Length} says so; as soon as the count passes it otherwise).
   *
   * @param mediaType the request's {@code Content-Type} without parameters, if any
   */
  public long bodyLimit(String method, String path, Optional<String> mediaType) {
    if (route(method, path).orElse(null) == Route.SUBMIT_IMAGE && ingest.isPresent()) {
      return ingest.get().limits().maxBytes() + (isMultipart(mediaType) ? MULTIPART_OVERHEAD : 0);
    }
    return SMALL_BODY_LIMIT;
  }

  /**
   * The 413 for a body longer than {@link #bodyLimit}.
   *
   * @param size the declared length, or the count read so far when there was none (then "more than")
   * @param exact whether {@code size} is the whole body's length
   */
  public ApiResponse tooLarge(ApiRequest request, long size, boolean exact) {
    long limit = bodyLimit(request.method(), request.path(), request.mediaType());
    String what = route(request.method(), request.path()).orElse(null) == Route.SUBMIT_IMAGE ? "upload" : "request body";
    String message =
        String.format(
            Locale.ROOT,
            "%s is %s%.1f MiB (%d bytes), the limit is %.1f MiB (%d bytes)",
            what,
            exact ? "" : "more than ",
            size / 1048576.0,
            size,
            limit / 1048576.0,
            limit);
    Map<String, Object> sizes = exact ? Map.of("limit_bytes", limit, "size_bytes", size) : Map.of("limit_bytes", limit);
    return ApiResponse.error(413, "TOO_LARGE", message, sizes)
        .withHeader("X-Request-Id", request.requestId());
  }

  /** Answers one request. Never throws. */
  public ApiResponse handle(ApiRequest request) {
    ApiResponse response;
    try {
      response = dispatch(request);
    } catch (ApiException e) {
      response = e.response();
    } catch (RequestException e) {
      response = ApiResponse.error(e instanceof NotFoundException ? 404 : 400, e.code(), e.getMessage());
    } catch (ImageRejectedException e) {
      response = rejected(e);
    } catch (StorageFullException e) {
      LOG.log(Level.WARNING, "request {0} {1} {2}: storage full: {3}",
          request.requestId(), request.method(), request.path(), e.getMessage());
      response = ApiResponse.error(507, "INSUFFICIENT_STORAGE", "the server's disk is full, so nothing new can be"
          + " stored; answers already given can still be read. Try again once the operator has freed space.")
          .withHeader("Retry-After", "60");
    } catch (StorageUnavailableException | DetectorUnavailableException | ConcurrencyConflictException e) {
      LOG.log(Level.WARNING, "request {0} {1} {2}: unavailable: {3}",
          request.requestId(), request.method(), request.path(), e.getMessage());
      response =
          ApiResponse.error(503, "UNAVAILABLE", "the service is busy or a store is unavailable; try again shortly")
              .withHeader("Retry-After", "1");
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "request " + request.requestId() + " " + request.method() + " " + request.path()
          + " failed", e);
      response =
          ApiResponse.error(500, "INTERNAL_ERROR", "internal error; quote request id " + request.requestId());
    }
    return response.withHeader("X-Request-Id", request.requestId());
  }

  private ApiResponse dispatch(ApiRequest r) throws ImageRejectedException {
    List<String> segments = Route.segmentsOf(r.path());
    Route route = null;
    List<String> allowed = new ArrayList<>();
    for (Route candidate : Route.values()) {
      if (candidate.matchesPath(segments)) {
        allowed.add(candidate.method());
        if (candidate.method().equals(r.method())) {
          route = candidate;
        }
      }
    }
    if (route == null) {
      if (allowed.isEmpty()) {
        throw new ApiException(404, "NOT_FOUND", "no route " + r.method() + " " + r.path());
      }
      throw new ApiException(
          405, "METHOD_NOT_ALLOWED", r.path() + " answers " + String.join(", ", allowed) + ", not " + r.method(),
          Map.of("Allow", String.join(", ", allowed)));
    }
    Optional<String> id = route.id(segments);
    return switch (route) {
      case SUBMIT_IMAGE -> submit(r);
      case GET_IMAGE -> image(id.orElseThrow(), r);
      case GET_IMAGE_EVENTS -> history(id.orElseThrow());
      case GET_IMAGE_CONTENT -> content(id.orElseThrow());
      case LABEL_IMAGE -> label(id.orElseThrow(), r);
      case GET_QUALITY -> quality(r);
      case GET_BATCH -> batch(id.orElseThrow(), r);
      case GET_BATCH_RESULTS -> results(id.orElseThrow(), r);
      case REPLAY -> replay(r);
      case LIST_DEAD_LETTERS -> deadLetters(r);
      case RETRY_DEAD_LETTER -> retryDeadLetter(id.orElseThrow());
      case RETRY_ALL_DEAD_LETTERS ->
          ApiResponse.json(200, ApiJson.object().put("retried", deadLetters().retryAll()));
      case HEALTH -> health();
      case LIST_NOTIFICATION_DEAD_LETTERS -> ApiResponse.json(200, ApiJson.notificationDeadLetters(
          notifications().list(intParameter(r, "limit", DEFAULT_DEAD_LETTER_LIMIT, 1, PageRequest.MAX_LIMIT))));
      case RETRY_NOTIFICATION_DEAD_LETTER -> retryNotification(id.orElseThrow());
      case RETRY_ALL_NOTIFICATION_DEAD_LETTERS ->
          ApiResponse.json(200, ApiJson.object().put("retried", notifications().retryAll()));
      case OPENAPI -> new ApiResponse(200, Map.of("Content-Type", ApiResponse.JSON), OpenApiDocument.bytes());
    };
  }

  private ApiResponse submit(ApiRequest r) throws ImageRejectedException {
    byte[] bytes = r.body();
    Optional<String> fileName = r.header("X-File-Name").map(Api::percentDecoded);
    Optional<String> batchId = r.header("X-Batch-Id");
    Optional<String> clientId = r.header("X-Client-Id");
    boolean debug = flag("X-Debug", r.header("X-Debug"));
    Optional<String> notifyUrl = r.header("X-Notify-Url");
    boolean notifyEachImage = flag("X-Notify-Each-Image", r.header("X-Notify-Each-Image"));
    if (isMultipart(r.mediaType())) {
      MultipartForm form;
      try {
        form = MultipartForm.parse(bytes, r.header("Content-Type").orElse(""));
      } catch (MultipartForm.MalformedMultipartException e) {
        throw new ApiException(400, "INVALID_MULTIPART", e.getMessage());
      }
      List<MultipartForm.Part> files = form.files();
      if (files.size() != 1) {
        throw new ApiException(
            400, "INVALID_MULTIPART", "a multipart upload carries exactly one file part, this one has " + files.size());
      }
      bytes = files.get(0).content();
      fileName = fileName.or(() -> files.get(0).fileName());
      batchId = batchId.or(() -> formField(form, "batch_id", BatchId::of));
      clientId = clientId.or(() -> formField(form, "client_id", ClientId::of));
      debug = debug || flag("debug", form.field("debug"));
      notifyUrl = notifyUrl.or(() -> form.field("notify_url"));
      notifyEachImage = notifyEachImage || flag("notify_each_image", form.field("notify_each_image"));
    }
    Upload upload =
        new Upload(
            bytes,
            SubmissionSource.API,
            batchId,
            clientId,
            fileName,
            debug,
            Optional.empty(),
            Optional.of(r.requestId()),
            notifyUrl,
            notifyEachImage);
    IngestResult result = served(ingest, "accept images").ingest(upload);
    // the ingest use case accepted the batch id, so it parses
    Optional<BatchId> batch = batchId.filter(b -> !b.isBlank()).map(String::strip).map(BatchId::of);
    return ApiResponse.json(202, ApiJson.accepted(result, batch))
        .withHeader("Location", ApiJson.imagePath(result.imageId()));
  }

  private ApiResponse image(String id, ApiRequest r) {
    boolean debug = flag("debug", r.queryParameter("debug"));
    ImageAnswer answer = query().image(id, debug);
    return ApiResponse.json(200, ApiJson.image(answer, answer.failure()));
  }

  private ApiResponse history(String id) {
    var events = query().history(id);
    return ApiResponse.json(200, ApiJson.history(events.get(0).imageId(), events));
  }

  private ApiResponse content(String id) {
    StoredImage image = served(content, "serve image bytes").content(id);
    // content-addressed: the bytes behind an id never change
    return new ApiResponse(
        200, Map.of("Content-Type", image.mediaType(), "ETag", "\"" + image.imageId().value() + "\""), image.bytes());
  }

  private ApiResponse label(String id, ApiRequest r) {
    RecordLabel recordLabel = served(labelRecording, "record labels");
    JsonNode body = jsonObject(r, "{\"cat\": true, \"by\": \"ana\"}");
    var names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!List.of("cat", "by").contains(name)) {
        throw InvalidRequestException.invalidParameter(name, "not a label field (cat, by)");
      }
    }
    JsonNode cat = body.get("cat");
    if (cat == null || !cat.isBoolean()) {
      throw InvalidRequestException.invalidParameter("cat", "required: true (a cat) or false (not a cat)");
    }
    JsonNode by = body.get("by");
    if (by == null || !by.isTextual()) {
      throw InvalidRequestException.invalidParameter("by", "required: who labelled it, a string");
    }
    RecordLabel.Outcome outcome = recordLabel.record(id, cat.booleanValue(), by.textValue(), r.requestId());
    return ApiResponse.json(outcome.appended() ? 201 : 200, ApiJson.labelled(outcome));
  }

  private ApiResponse quality(ApiRequest r) {
    MeasureQuality measure = served(quality, "measure quality");
    Optional<String> raw = r.queryParameter("thresholds").filter(s -> !s.isBlank());
    if (raw.isEmpty()) {
      return ApiResponse.json(200, ApiJson.quality(measure.measure()));
    }
    List<Double> thresholds = new ArrayList<>();
    for (String part : raw.get().split(",", -1)) {
      try {
        thresholds.add(Double.parseDouble(part.strip()));
      } catch (NumberFormatException e) {
        throw InvalidRequestException.invalidParameter("thresholds", "numbers from 0 to 1 separated by commas, not "
            + quoted(part));
      }
    }
    return ApiResponse.json(200, ApiJson.quality(measure.measure(thresholds)));
  }

  private ApiResponse batch(String id, ApiRequest r) {
    int limit = intParameter(r, "limit", QueryResults.DEFAULT_PAGE_SIZE, 1, PageRequest.MAX_LIMIT);
    Optional<String> cursor = r.queryParameter("cursor").filter(c -> !c.isEmpty());
    return ApiResponse.json(200, ApiJson.batch(query().batch(id, cursor, limit), limit));
  }

  /**
   * {@code GET /batches/{id}/results}: the batch's export, a page of {@link #EXPORT_PAGE} rows read at a time. The
   * first page is read before answering, so a bad id, cursor or batch is an error response; the rest is streamed, or,
   * when this API answers at most {@link #resultsPerResponse} rows, written whole with a {@code Link} to the next
   * part.
   */
  private ApiResponse results(String id, ApiRequest r) {
    ResultsFormat format = ResultsFormat.negotiate(r.header("Accept")).orElseThrow(() -> new ApiException(
        406, "NOT_ACCEPTABLE", "the results are sent as application/x-ndjson (JSON Lines) or text/csv; the Accept"
            + " header allows neither"));
    Optional<String> cursor = r.queryParameter("cursor").filter(c -> !c.isEmpty());
    Page<BatchResult> first = query().results(id, cursor, Math.min(EXPORT_PAGE, resultsPerResponse));
    BatchId batch = BatchId.of(id); // the query parsed it already
    if (resultsPerResponse == Integer.MAX_VALUE) {
      return exportHeaders(ApiResponse.streamed(200, format.contentType(),
          out -> writeResults(id, first, format.open(out), Integer.MAX_VALUE, () -> 0)), batch, format);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Optional<String> next;
    try {
      next = writeResults(id, first, format.open(out), resultsPerResponse, out::size);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("writing results into memory", e);
    }
    ApiResponse response = exportHeaders(
        new ApiResponse(200, Map.of("Content-Type", format.contentType()), out.toByteArray()), batch, format);
    return next.isEmpty()
        ? response
        : response.withHeader("Link", "<" + ApiJson.batchPath(batch) + "/results?cursor="
            + java.net.URLEncoder.encode(next.get(), StandardCharsets.UTF_8) + ">; rel=\"next\"");
  }

  /**
   * Writes the export from {@code first} on, a page at a time, until the last page, {@code maxRows} rows or
   * {@link #MAX_RESULTS_BYTES} written; returns the cursor of what is left (empty when nothing is).
   */
  private Optional<String> writeResults(String id, Page<BatchResult> first, ResultsFormat.Lines lines, int maxRows,
      IntSupplier written) throws IOException {
    lines.begin();
    int rows = 0;
    Page<BatchResult> page = first;
    while (true) {
      for (BatchResult result : page.items()) {
        lines.write(result);
      }
      rows += page.items().size();
      lines.flush();
      if (page.nextCursor().isEmpty() || rows >= maxRows || written.getAsInt() >= MAX_RESULTS_BYTES) {
        return page.nextCursor();
      }
      page = query().results(id, page.nextCursor(), Math.min(EXPORT_PAGE, maxRows - rows));
    }
  }

  private static ApiResponse exportHeaders(ApiResponse response, BatchId batch, ResultsFormat format) {
    String extension = format == ResultsFormat.CSV ? "csv" : "jsonl";
    // the batch id alphabet (A-Z a-z 0-9 . _ : -) needs no quoting in a file name
    return response.withHeader(
        "Content-Disposition", "attachment; filename=\"batch-" + batch.value() + "-results." + extension + "\"");
  }

  private ApiResponse replay(ApiRequest r) {
    ReplayEvents replay = served(this.replay, "replay");
    Map<String, String> params = replayParameters(r);
    Optional<ImageId> image =
        Optional.ofNullable(params.get("image_id")).filter(s -> !s.isBlank()).map(Api::imageId);
    Optional<Double> threshold = Optional.ofNullable(params.get("threshold")).filter(s -> !s.isBlank()).map(Api::threshold);
    boolean reclassify = flag("reclassify", Optional.ofNullable(params.get("reclassify")));
    if (threshold.isPresent() && reclassify) {
      throw InvalidRequestException.invalidParameter(
          "threshold", "re-decide (threshold) and re-classify (reclassify) are separate replays; ask for one");
    }
    String action;
    ReplayReport report;
    if (threshold.isPresent()) {
      action = "redecide";
      report = image.isPresent() ? replay.redecide(image.get(), threshold.get()) : replay.redecide(threshold.get());
    } else if (reclassify) {
      action = "reclassify";
      report = image.isPresent() ? replay.reclassify(image.get()) : replay.reclassify();
    } else {
      action = "rebuild";
      if (image.isPresent()) {
        replay.rebuild(image.get());
        report = new ReplayReport(1, 0, 0, 0);
      } else {
        report = new ReplayReport(replay.rebuild(), 0, 0, 0);
      }
    }
    return ApiResponse.json(200, ApiJson.replay(action, image, threshold, report));
  }

  /** The body as a JSON object; {@code example} shows the shape in the error. */
  private static JsonNode jsonObject(ApiRequest r, String example) {
    JsonNode node;
    try {
      // strict (Json): a repeated field or anything after the object is an error, not a guess
      node = Json.MAPPER.readTree(new String(r.body(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ApiException(400, "INVALID_JSON", "the body is not JSON: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(400, "INVALID_JSON", "the body is a JSON object such as " + example);
    }
    return node;
  }

  /** Replay parameters from a JSON object body and the query string (the body wins). */
  private static Map<String, String> replayParameters(ApiRequest r) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : List.of("image_id", "threshold", "reclassify")) {
      r.queryParameter(name).ifPresent(v -> params.put(name, v));
    }
    String text = new String(r.body(), StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return params;
    }
    JsonNode node = jsonObject(r, "{\"image_id\": …}");
    var names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!List.of("image_id", "threshold", "reclassify").contains(name)) {
        throw InvalidRequestException.invalidParameter(name, "not a replay parameter (image_id, threshold, reclassify)");
      }
      JsonNode value = node.get(name);
      if (!value.isNull()) {
        params.put(name, value.isValueNode() ? value.asText() : value.toString());
      }
    }
    return params;
  }

  private ApiResponse deadLetters(ApiRequest r) {
    int limit = intParameter(r, "limit", DEFAULT_DEAD_LETTER_LIMIT, 1, PageRequest.MAX_LIMIT);
    return ApiResponse.json(200, ApiJson.deadLetters(deadLetters().deadLetters(limit)));
  }

  private ApiResponse retryDeadLetter(String id) {
    requireDeadLetterId(id);
    if (!deadLetters().retry(id)) {
      throw new NotFoundException("no dead letter " + id);
    }
    return ApiResponse.json(200, ApiJson.object().put("retried", 1).put("id", id));
  }

  private QueryResults query() {
    return served(query, "answer queries");
  }

  private ClassifyDeadLetters deadLetters() {
    return served(deadLetters, "keep dead letters");
  }

  private NotificationDeadLetters notifications() {
    return notifications.orElseThrow(() -> new NotFoundException("this deployment sends no webhook notifications"));
  }

  private ApiResponse retryNotification(String id) {
    NotificationDeadLetters letters = notifications();
    requireDeadLetterId(id);
    if (!letters.retry(id)) {
      throw new NotFoundException("no notification dead letter " + id);
    }
    return ApiResponse.json(200, ApiJson.object().put("retried", 1).put("id", id));
  }

  private static void requireDeadLetterId(String id) {
    if (!DEAD_LETTER_ID.matcher(id).matches()) {
      throw InvalidRequestException.invalidId(
          "dead letter id", "1 to 128 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit");
    }
  }

  private ApiResponse health() {
    Health h = health.get();
    return ApiResponse.json(h.healthy() ? 200 : 503, ApiJson.health(h));
  }

  private static ApiResponse rejected(ImageRejectedException e) {
    if (e instanceof UnsupportedFormatException unsupported) {
      return ApiResponse.error(415, e.code(), e.getMessage(), Map.of("found", unsupported.found()));
    }
    if (e instanceof ImageTooLargeException tooLarge) {
      return ApiResponse.error(
          413, e.code(), e.getMessage(), Map.of("size_bytes", tooLarge.size(), "limit_bytes", tooLarge.limit()));
    }
    return ApiResponse.error(422, e.code(), e.getMessage());
  }

  /** A form field checked here, so a malformed one is reported by its own name rather than as the header's. */
  private static Optional<String> formField(
      MultipartForm form, String name, java.util.function.Function<String, ?> parser) {
    Optional<String> value = form.field(name);
    try {
      value.filter(v -> !v.isBlank()).map(String::strip).ifPresent(parser::apply);
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.invalidId("form field " + name, e);
    }
    return value;
  }

  private static boolean isMultipart(Optional<String> mediaType) {
    return mediaType.filter("multipart/form-data"::equals).isPresent();
  }

  /** "true", "1", "yes" or a bare name are true; "false", "0", "no" false; absent false; anything else 400. */
  static boolean flag(String name, Optional<String> value) {
    if (value.isEmpty()) {
      return false;
    }
    return switch (value.get().strip().toLowerCase(Locale.ROOT)) {
      case "", "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw InvalidRequestException.invalidParameter(name, "true or false, not " + quoted(value.get()));
    };
  }

  private static int intParameter(ApiRequest r, String name, int fallback, int min, int max) {
    Optional<String> raw = r.queryParameter(name).filter(s -> !s.isBlank());
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get().strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InvalidRequestException.invalidParameter(name, "a whole number from " + min + " to " + max);
  }

  private static ImageId imageId(String raw) {
    try {
      return ImageId.of(raw.strip().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.invalidId("image id", e);
    }
  }

  private static double threshold(String raw) {
    try {
      double t = Double.parseDouble(raw.strip());
      if (t >= 0 && t <= 1) {
        return t;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InvalidRequestException.invalidParameter("threshold", "a number from 0 to 1, not " + quoted(raw));
  }

  /**
   * A file name as header text ({@code X-File-Name}, S3 user metadata): UTF-8 with every byte outside printable ASCII,
   * and {@code %} itself, percent-encoded; {@link #percentDecoded} gives the name back.
   */
  public static String percentEncoded(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c > 0x20 && c < 0x7F && c != '%' || c == ' ') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /**
   * {@code X-File-Name} may be percent-encoded UTF-8 (headers are Latin-1, file names are not); a value that does
   * not decode is kept as sent. The name is sanitised by the ingest use case either way.
   */
  public static String percentDecoded(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return value;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c == '%' || c > 0xFF) {
        return value;
      } else {
        out.write(c);
      }
    }
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    try {
      return decoder.decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return value;
    }
  }

  private static String quoted(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return "\"" + cut.replaceAll("\\p{Cntrl}", "?") + "\"";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
