package io.catwrangler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load tool's status client against a real HTTP server that records what arrives. */
class StatusLoadTest {
  private HttpServer server;
  private final ConcurrentLinkedQueue<String> paths = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/images/", exchange -> {
      arrivals.add(System.nanoTime());
      String path = exchange.getRequestURI().getPath();
      paths.add(path);
      TestHttp.answer(exchange, path.endsWith("/missing") ? 404 : 200, "{\"status\":\"CLASSIFIED\"}");
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

  @Test
  void sendsRateTimesSecondsRequestsForTheGivenIdsAndTimesEachOne() throws Exception {
    StatusLoad.Result result = StatusLoad.run(url(), List.of("a1", "b2"), 40, 2);

    assertThat(result.latencies()).hasSize(80);
    assertThat(java.util.Arrays.stream(result.latencies()).min().orElseThrow()).isPositive();
    assertThat(result.errors()).isZero();
    assertThat(paths).hasSize(80).allSatisfy(p -> assertThat(p).isIn("/images/a1", "/images/b2"));
  }

  @Test
  void neverSendsARequestBeforeItIsDue() throws Exception {
    StatusLoad.run(url(), List.of("a1"), 50, 1);

    // request i is due at start + i/50 s, so the 50 arrivals span about 49 periods (0.98 s); a client that sent
    // them as fast as it could would bunch them within a few milliseconds (a slow first connection may shorten the
    // span a little, hence the margin)
    List<Long> sorted = arrivals.stream().sorted().toList();
    assertThat(sorted).hasSize(50);
    assertThat((sorted.get(49) - sorted.get(0)) / 1e6).isGreaterThan(700);
  }

  @Test
  void countsAnswersOtherThan200AsErrors() throws Exception {
    StatusLoad.Result result = StatusLoad.run(url(), List.of("missing"), 20, 1);

    assertThat(result.errors()).isEqualTo(20);
    assertThat(result.latencies()).hasSize(20);
  }
}
