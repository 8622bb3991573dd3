package io.catwrangler.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.api.Api;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteResultView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /batches/{id}/results} over real HTTP from a real SQLite view of 100,000 images: every row arrives once,
 * in order, chunked, while the server holds one page of the view at a time and waits for a client that stops reading.
 */
class BatchExportStreamingTest {
  private static final int ROWS = 100_000;

  @TempDir Path folder;
  private SqliteDatabase db;
  private SqliteResultView view;
  private CountingView counted;
  private EmbeddedHttpServer server;

  /** The view as the query sees it, counting the states it hands out and the largest page. */
  private static final class CountingView implements ResultView {
    final ResultView view;
    final AtomicLong served = new AtomicLong();
    final AtomicInteger largestPage = new AtomicInteger();
    final AtomicInteger pages = new AtomicInteger();
    volatile int failAtPage = Integer.MAX_VALUE;

    CountingView(ResultView view) {
      this.view = view;
    }

    @Override
    public Page<ImageState> batchStates(BatchId batchId, PageRequest page) {
      if (pages.incrementAndGet() >= failAtPage) {
        throw new StorageUnavailableException("the disk went away", null);
      }
      Page<ImageState> states = view.batchStates(batchId, page);
      served.addAndGet(states.items().size());
      largestPage.accumulateAndGet(states.items().size(), Math::max);
      return states;
    }

    @Override
    public boolean save(ImageState state) {
      return view.save(state);
    }

    @Override
    public Optional<ImageState> image(ImageId imageId) {
      return view.image(imageId);
    }

    @Override
    public BatchPage batch(BatchId batchId, PageRequest page) {
      return view.batch(batchId, page);
    }

    @Override
    public void remove(ImageId imageId) {
      view.remove(imageId);
    }

    @Override
    public void reset() {
      view.reset();
    }
  }

  @BeforeEach
  void start() throws IOException {
    db = SqliteDatabase.open(folder.resolve(SqliteDatabase.FILE_NAME));
    view = new SqliteResultView(db);
    counted = new CountingView(view);
    Api api = ExportRows.api(db, counted);
    server = EmbeddedHttpServer.start(api, HttpServerConfig.loopback(0).withAccessLog(false), out -> {});
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    db.close();
  }

  private HttpURLConnection open(String path, String accept) throws IOException {
    HttpURLConnection http = (HttpURLConnection) server.url().resolve(path).toURL().openConnection();
    http.setRequestProperty("Accept", accept);
    http.setReadTimeout(60_000);
    return http;
  }

  @Test
  void all_100000_rows_stream_in_order_a_page_at_a_time_and_wait_for_a_slow_reader() throws Exception {
    ExportRows.fill(db, "huge", ROWS);
    List<String> expected = IntStream.range(0, ROWS).mapToObj(n -> ExportRows.image(n).value()).sorted().toList();

    HttpURLConnection http = open("/batches/huge/results", "application/x-ndjson");
    assertThat(http.getResponseCode()).isEqualTo(200);
    assertThat(http.getContentType()).isEqualTo("application/x-ndjson");
    assertThat(http.getHeaderField("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(http.getHeaderField("Content-Length")).isNull();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(http.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> ids = new ArrayList<>(ROWS);
      ids.add(idOf(in.readLine()));
      // the client stops reading: the server fills the socket's buffers, then waits, holding what it has read
      long before;
      do {
        before = counted.served.get();
        Thread.sleep(300);
      } while (counted.served.get() != before);
      assertThat(counted.served.get()).as("rows read from the view while the client read one line")
          .isLessThan(ROWS / 2);

      for (String line = in.readLine(); line != null; line = in.readLine()) {
        ids.add(idOf(line));
      }
      assertThat(ids).hasSize(ROWS).isEqualTo(expected);
    }
    assertThat(counted.served.get()).isEqualTo(ROWS);
    assertThat(counted.largestPage.get()).isLessThanOrEqualTo(Api.EXPORT_PAGE);
  }

  @Test
  void csv_streams_with_its_header_and_every_row() throws Exception {
    ExportRows.fill(db, "small", 1234);
    HttpURLConnection http = open("/batches/small/results", "text/csv");
    assertThat(http.getResponseCode()).isEqualTo(200);
    assertThat(http.getContentType()).isEqualTo("text/csv; charset=utf-8");
    String body = new String(http.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String[] lines = body.split("\r\n");
    assertThat(lines).hasSize(1235);
    assertThat(lines[0]).startsWith("image_id,status,answer,cat_score,threshold,model_name,model_version,");
    assertThat(lines[1]).contains(",CLASSIFIED,").contains(",0.5,mobilenet-v2-imagenet,coral-tf1-quant/cascade-v1,initial,")
        .matches(".*,IMG_1[0-9]{5}\\.jpg");
  }

  @Test
  void a_failure_part_way_breaks_the_body_off_instead_of_ending_it() throws Exception {
    ExportRows.fill(db, "broken", 3 * Api.EXPORT_PAGE);
    counted.failAtPage = 3; // the first two pages go out, the third read fails after the 200 was sent
    HttpURLConnection http = open("/batches/broken/results", "application/x-ndjson");
    assertThat(http.getResponseCode()).isEqualTo(200);
    AtomicInteger lines = new AtomicInteger();
    assertThatThrownBy(() -> {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(http.getInputStream(), StandardCharsets.UTF_8))) {
        while (in.readLine() != null) {
          lines.incrementAndGet();
        }
      }
    }).isInstanceOf(IOException.class);
    assertThat(lines.get()).isLessThanOrEqualTo(2 * Api.EXPORT_PAGE);
  }

  private static String idOf(String line) {
    assertThat(line).startsWith("{\"image_id\":\"");
    return line.substring(13, 13 + 64);
  }
}
