package io.catwrangler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.catwrangler.local.cli.PollPace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load tool's batch uploader against a real HTTP server that records what arrives. */
class BatchLoadTest {
  private HttpServer server;
  private final ConcurrentLinkedQueue<String> uploads = new ConcurrentLinkedQueue<>();
  private final AtomicInteger polls = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> closing = new ConcurrentLinkedQueue<>();
  private volatile int uploadStatus = 202;
  /** The poll that first answers "complete": true. */
  private static final int COMPLETE_AT_POLL = 3;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/images", exchange -> {
      byte[] image = exchange.getRequestBody().readAllBytes();
      var h = exchange.getRequestHeaders();
      if ("close".equalsIgnoreCase(h.getFirst("Connection"))) {
        closing.add(h.getFirst("X-File-Name"));
      }
      uploads.add(exchange.getRequestMethod() + " " + h.getFirst("Content-Type") + " " + h.getFirst("X-Batch-Id") + " "
          + h.getFirst("X-File-Name") + " " + new String(image, StandardCharsets.US_ASCII));
      TestHttp.answer(exchange, uploadStatus, "{\"status\":\"PENDING\"}");
    });
    server.createContext("/batches/", exchange -> {
      boolean complete = polls.incrementAndGet() >= COMPLETE_AT_POLL;
      TestHttp.answer(exchange, exchange.getRequestURI().toString().equals("/batches/load-x?limit=1") ? 200 : 404,
          "{\"batch_id\":\"b\",\"complete\":" + complete + "}");
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return TestHttp.url(server);
  }

  private static List<byte[]> images(int n) {
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      images.add(("image-" + i).getBytes(StandardCharsets.US_ASCII));
    }
    return images;
  }

  @Test
  void uploadsEveryImageOnceIntoTheBatchThenPollsUntilItIsComplete() throws Exception {
    double seconds = BatchLoad.uploadAndWait(url(), 20, images(20)::get, "load-x");

    assertThat(uploads).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(uploads).contains(String.format("POST application/octet-stream load-x img-%04d.jpg image-%d", i, i));
    }
    assertThat(polls).hasValue(COMPLETE_AT_POLL);
    assertThat(closing).as("one upload in %d ends its connection", BatchLoad.UPLOADS_PER_CONNECTION)
        .containsExactly("img-0000.jpg");
    // two polls said "not yet" with no counts (no rate seen), each followed by submit --wait's first interval
    assertThat(seconds).isGreaterThanOrEqualTo(2 * PollPace.UNKNOWN_MILLIS / 1000.0);
  }

  @Test
  void anUploadNotAcceptedEndsTheRun() {
    uploadStatus = 503;

    assertThatThrownBy(() -> BatchLoad.uploadAndWait(url(), 3, images(3)::get, "load-x"))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("answered 503");
    assertThat(polls).hasValue(0);
  }
}
