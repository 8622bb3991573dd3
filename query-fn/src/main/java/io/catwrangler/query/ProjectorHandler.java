package io.catwrangler.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.catwrangler.aws.AwsClients;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.core.projection.ProjectEvents;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The projector on the event table's DynamoDB Stream ({@link StreamProjection}); the event source mapping needs
 * {@code ReportBatchItemFailures} so that the failed record's sequence number is where Lambda starts again.
 */
public final class ProjectorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private final StreamProjection projection;

  /** For the Lambda runtime: configuration from the environment ({@link AwsConfig}). */
  public ProjectorHandler() {
    this(AwsConfig.fromEnvironment(), AwsClients.dynamoDb());
  }

  public ProjectorHandler(AwsConfig config, DynamoDbClient dynamo) {
    var events = new DynamoDbEventStore(dynamo, config.eventTable());
    this.projection =
        new StreamProjection(events, new ProjectEvents(events, new DynamoDbResultView(dynamo, config.viewTable())));
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    return PowertoolsLogging.withLogging(context, () -> response(projection.project(
        event.getRecords() == null ? List.of() : event.getRecords())));
  }

  private static StreamsEventResponse response(java.util.Optional<String> failedSequence) {
    return StreamsEventResponse.builder()
        .withBatchItemFailures(failedSequence
            .map(s -> List.of(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(s).build()))
            .orElse(List.of()))
        .build();
  }
}
