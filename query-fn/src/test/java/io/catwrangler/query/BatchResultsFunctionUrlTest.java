package io.catwrangler.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.S3ProxyServer;
import io.catwrangler.aws.testing.TestAws;
import io.catwrangler.aws.testing.TestContext;
import io.catwrangler.core.port.contract.ContractEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@code GET /batches/{id}/results} on the query Function URL against Dynoxide: a batch larger than one call answers
 * comes in parts of at most {@link QueryHandler#RESULTS_PER_RESPONSE} rows linked by {@code Link: rel="next"},
 * every row once and in order, each part read with bounded Query and BatchGetItem calls, never a whole partition.
 */
class BatchResultsFunctionUrlTest {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

  private static final int ROWS = 2 * QueryHandler.RESULTS_PER_RESPONSE + 50;
  private static final Pattern NEXT = Pattern.compile("<([^>?]+)\\?([^>]+)>; rel=\"next\"");
  private static AwsConfig config;
  private static List<String> ids;

  @BeforeAll
  static void fill() {
    config = AwsConfig.from(Map.of(
        "CW_EVENT_TABLE", DYNAMO.createTable(DynamoDbTables::eventTable, "events"),
        "CW_VIEW_TABLE", DYNAMO.createTable(DynamoDbTables::viewTable, "view"),
        "CW_IDEMPOTENCY_TABLE", "unused",
        "CW_BUCKET", S3.createBucket(),
                "CW_CLASSIFY_MODEL_NAME", "contract-detector", "CW_CLASSIFY_MODEL_VERSION", "1.0"));
    DynamoDbResultView view = new DynamoDbResultView(DYNAMO.client(), config.viewTable());
    IntStream.range(0, ROWS).parallel()
        .forEach(n -> view.save(ContractEvents.state(ContractEvents.image(n), "big", Optional.of(n % 2 == 0))));
    ids = IntStream.range(0, ROWS).mapToObj(n -> ContractEvents.image(n).value()).sorted().toList();
  }

  private static APIGatewayV2HTTPEvent get(String path, String query, String accept) {
    APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
    http.setMethod("GET");
    http.setPath(path);
    http.setSourceIp("203.0.113.7");
    APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
    context.setHttp(http);
    context.setRequestId("req-" + query.hashCode());
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRawPath(path);
    event.setRawQueryString(query);
    event.setHeaders(new HashMap<>(Map.of("accept", accept)));
    event.setRequestContext(context);
    return event;
  }

  @Test
  void a_large_batch_comes_in_linked_parts_of_bounded_reads_every_row_once_in_order() throws Exception {
    List<Integer> queryLimits = new CopyOnWriteArrayList<>();
    List<Integer> keysPerGet = new CopyOnWriteArrayList<>();
    ExecutionInterceptor reads = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof QueryRequest q) {
          queryLimits.add(q.limit() == null ? Integer.MAX_VALUE : q.limit());
        } else if (context.request() instanceof BatchGetItemRequest b) {
          keysPerGet.add(b.requestItems().values().stream().mapToInt(k -> k.keys().size()).sum());
        }
      }
    };
    DynamoDbClient counted = TestAws.configure(DynamoDbClient.builder(), DYNAMO.endpoint())
        .httpClientBuilder(TestAws.http()).overrideConfiguration(o -> o.addExecutionInterceptor(reads)).build();
    QueryHandler handler = new QueryHandler(config, counted);
    ObjectMapper json = new ObjectMapper();

    for (String accept : List.of("application/x-ndjson", "text/csv")) {
      List<String> seen = new ArrayList<>();
      String path = "/batches/big/results";
      String query = "";
      int parts = 0;
      while (path != null) {
        APIGatewayV2HTTPResponse r = handler.handleRequest(get(path, query, accept), new TestContext("query"));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getIsBase64Encoded()).isFalse();
        assertThat(r.getHeaders().get("Content-Type")).startsWith(accept);
        assertThat(r.getBody().getBytes(StandardCharsets.UTF_8).length).isLessThan(6_000_000);
        List<String> lines = new ArrayList<>(List.of(r.getBody().split("\r?\n")));
        if (accept.equals("text/csv")) {
          assertThat(lines.remove(0)).startsWith("image_id,status,answer,");
          lines.forEach(l -> seen.add(l.substring(0, 64)));
        } else {
          for (String line : lines) {
            seen.add(json.readTree(line).path("image_id").asText());
          }
        }
        assertThat(lines).hasSizeLessThanOrEqualTo(QueryHandler.RESULTS_PER_RESPONSE);
        parts++;
        String link = r.getHeaders().get("Link");
        if (link == null) {
          path = null;
        } else {
          Matcher m = NEXT.matcher(link);
          assertThat(m.matches()).as(link).isTrue();
          path = m.group(1);
          query = m.group(2);
        }
      }
      assertThat(parts).isEqualTo(3);
      assertThat(seen).isEqualTo(ids);
    }
    assertThat(queryLimits).isNotEmpty().allMatch(limit -> limit <= 1001);
    assertThat(keysPerGet).isNotEmpty().allMatch(keys -> keys <= 100);
  }

  @Test
  void errors_are_the_apis_json_and_an_unknown_batch_is_404() throws Exception {
    QueryHandler handler = new QueryHandler(config, DYNAMO.client());
    APIGatewayV2HTTPResponse missing =
        handler.handleRequest(get("/batches/nobody/results", "", "text/csv"), new TestContext("query"));
    assertThat(missing.getStatusCode()).isEqualTo(404);
    assertThat(new ObjectMapper().readTree(missing.getBody()).path("error").asText()).isEqualTo("NOT_FOUND");
    APIGatewayV2HTTPResponse refused =
        handler.handleRequest(get("/batches/big/results", "", "application/json"), new TestContext("query"));
    assertThat(refused.getStatusCode()).isEqualTo(406);
  }
}
