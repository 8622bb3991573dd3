package io.catwrangler.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.catwrangler.aws.AwsClients;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.api.Api;
import io.catwrangler.api.Route;
import io.catwrangler.core.quality.MeasureQuality;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.aws.FunctionUrlApi;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * query-fn behind its Function URL (payload format 2.0, {@code AWS_IAM}): the read routes of the API, the same
 * {@link io.catwrangler.api.Api} the embedded server serves — {@code GET /images/{id}},
 * {@code GET /images/{id}/events}, {@code GET /batches/{id}}, {@code GET /batches/{id}/results} (a part of at most
 * {@value #RESULTS_PER_RESPONSE} rows a call, linked to the next), {@code GET /quality} (classify-fn's model,
 * {@code CW_CLASSIFY_MODEL_NAME}/{@code _VERSION}, against people's labels, counted from the view's label items),
 * {@code GET /healthz}, {@code GET /openapi.json}.
 */
public final class QueryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  /** The routes this function answers. */
  public static final Set<Route> ROUTES = Set.of(Route.GET_IMAGE, Route.GET_IMAGE_EVENTS, Route.GET_BATCH,
      Route.GET_BATCH_RESULTS, Route.GET_QUALITY, Route.HEALTH, Route.OPENAPI);
  /**
   * Rows of a batch's export one call answers, with a {@code Link} to the rest (decision 0036): a Function URL's
   * buffered response is at most 6 MB, and a thousand rows (about 400 KB) take a Query and ten BatchGetItem calls.
   */
  public static final int RESULTS_PER_RESPONSE = 1000;

  private final FunctionUrlApi routes;

  /** For the Lambda runtime: configuration from the environment ({@link AwsConfig}), SDK clients built once. */
  public QueryHandler() {
    this(AwsConfig.fromEnvironment(), AwsClients.dynamoDb());
  }

  /** @throws IllegalArgumentException the configuration does not name classify-fn's model (GET /quality measures it) */
  public QueryHandler(AwsConfig config, DynamoDbClient dynamo) {
    var view = new DynamoDbResultView(dynamo, config.viewTable());
    var quality = new MeasureQuality(view, config.requireClassifyModel(), config.pipeline());
    var api = Api.builder()
        .query(new QueryResults(view, new DynamoDbEventStore(dynamo, config.eventTable())))
        .quality(quality)
        .resultsPerResponse(RESULTS_PER_RESPONSE)
        .build();
    this.routes = new FunctionUrlApi(api, ROUTES, Map.of());
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return PowertoolsLogging.withLogging(context, () -> routes.handle(event));
  }
}
