package io.catwrangler.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.catwrangler.api.Api;
import io.catwrangler.api.Route;
import io.catwrangler.aws.AwsClients;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbReplayCheckpoints;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.FunctionUrlApi;
import io.catwrangler.aws.SqsClassifyQueue;
import io.catwrangler.core.replay.ReplayEvents;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * admin-fn behind a Function URL of its own (payload format 2.0, {@code AWS_IAM}, its own callers): {@code POST
 * /admin/replay}, the operator's replay of the event history (decision 0014). Same zip as ingest-fn, another role
 * and another URL, so the upstream systems that may submit images cannot rewrite answers.
 *
 * <p>Rebuild and re-decide run here, in the request (the event table is read, the view rewritten, re-decisions
 * appended). Re-classify runs no detector here: it queues one request per image on the classify queue, marked as a
 * re-classification, and classify-fn answers each with its current model unless that model has answered already.
 */
public final class AdminHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  /** The routes this function answers. */
  public static final Set<Route> ROUTES = Set.of(Route.REPLAY);

  private final FunctionUrlApi routes;

  /** For the Lambda runtime: configuration from the environment ({@link AwsConfig}), SDK clients built once. */
  public AdminHandler() {
    this(AwsConfig.fromEnvironment(), AwsClients.dynamoDb(), AwsClients.sqs(), Clock.systemUTC());
  }

  public AdminHandler(AwsConfig config, DynamoDbClient dynamo, SqsClient sqs, Clock clock) {
    // a replay reads and writes the tables and queues; it never touches image bytes (the role has no S3 grant)
    // a re-classification of every image cut off by the timeout goes on where it got to when called again
    var replay = ReplayEvents.queueing(new DynamoDbEventStore(dynamo, config.eventTable()),
        new DynamoDbResultView(dynamo, config.viewTable()), SqsClassifyQueue.of(config, sqs), clock, config.pipeline(),
        new DynamoDbReplayCheckpoints(dynamo, config.viewTable(), clock));
    var api = Api.builder().replay(replay).build();
    this.routes = new FunctionUrlApi(api, ROUTES, Map.of());
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return PowertoolsLogging.withLogging(context, () -> routes.handle(event));
  }
}
