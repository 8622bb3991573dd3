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
import io.catwrangler.core.notify.StreamNotifications;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The projector on the event table's DynamoDB Stream ({@link StreamProjection}); the event source mapping needs
 * {@code ReportBatchItemFailures} so that the failed record's sequence number is where Lambda starts again.
 */
public final class ProjectorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private final StreamProjection projection;

  /**
   * For the Lambda runtime: configuration from the environment ({@link AwsConfig}; notifications:
   * {@link NotifyBus#fromEnvironment}).
   */
  public ProjectorHandler() {
    this(AwsConfig.fromEnvironment(), AwsClients.dynamoDb(), NotifyBus.fromEnvironment());
  }

  public ProjectorHandler(AwsConfig config, DynamoDbClient dynamo) {
    this(config, dynamo, Optional.empty());
  }

  /** @param notify the EventBridge bus completion notifications go to, if any */
  public ProjectorHandler(AwsConfig config, DynamoDbClient dynamo, Optional<NotifyBus> notify) {
    var events = new DynamoDbEventStore(dynamo, config.eventTable());
    var view = new DynamoDbResultView(dynamo, config.viewTable());
    this.projection = new StreamProjection(events, new ProjectEvents(events, view), notify.map(bus ->
        new StreamNotifications(events, view.announcedBatches(), new EventBridgeNotifications(bus.client(), bus.name()), bus.eachImage(),
            Clock.systemUTC())));
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
