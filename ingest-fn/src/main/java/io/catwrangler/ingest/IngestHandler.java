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
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.FunctionUrlApi;
import io.catwrangler.aws.S3ImageStore;
import io.catwrangler.aws.SqsClassifyQueue;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.label.RecordLabel;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * ingest-fn behind its Function URL (payload format 2.0, {@code AWS_IAM}): {@code POST /images} (the image as the
 * body, base64 as the URL delivers it; up to the URL's 6 MB payload), {@code POST /uploads} (a presigned S3 PUT,
 * see {@link PresignedUploads}) and {@code POST /images/{id}/labels} (a person's label, appended to the image's
 * stream: the write routes, on the function allowed to append). Logs carry the request id as correlation id.
 */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  /** The {@link io.catwrangler.api.Api} routes this function answers (besides {@code POST /uploads}). */
  public static final Set<Route> ROUTES = Set.of(Route.SUBMIT_IMAGE, Route.LABEL_IMAGE);

  private final FunctionUrlApi routes;

  /** For the Lambda runtime: configuration from the environment ({@link AwsConfig}), SDK clients built once. */
  public IngestHandler() {
    this(AwsConfig.fromEnvironment(), AwsClients.dynamoDb(), AwsClients.s3(), AwsClients.sqs(), S3Presigner.create(),
        Clock.systemUTC());
  }

  public IngestHandler(
      AwsConfig config, DynamoDbClient dynamo, S3Client s3, SqsClient sqs, S3Presigner presigner, Clock clock) {
    var view = new DynamoDbResultView(dynamo, config.viewTable());
    // ingest's decision starts from the view's row and reads only the newer events (decision 0030)
    var events = new DynamoDbEventStore(dynamo, config.eventTable(), view::snapshot);
    var images = new S3ImageStore(s3, config.bucket());
    var queue = SqsClassifyQueue.of(config, sqs);
    var api = Api.builder()
        .ingest(new IngestImage(new ImageInspector(config.imageLimits()), images, events, queue, clock, config.pipeline()))
        .labelRecording(new RecordLabel(events, clock, config.pipeline()))
        .build();
    var uploads =
        new PresignedUploads(presigner, config.bucket(), config.imageLimits(), config.uploadUrlExpiresAfter(), clock);
    this.routes = new FunctionUrlApi(api, ROUTES, Map.of("POST /uploads", uploads::presign));
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return PowertoolsLogging.withLogging(context, () -> routes.handle(event));
  }
}
