package io.catwrangler.aws.testing;

import java.net.URI;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ in this JVM for one test class: the SQS API (the SDK's JSON protocol) on a free loopback port.
 * Register as {@code @RegisterExtension static final ElasticMqServer SQS = new ElasticMqServer();}.
 */
public final class ElasticMqServer implements BeforeAllCallback, AfterAllCallback {
  private SQSRestServer server;
  private URI endpoint;
  private SqsClient client;

  /** A queue and the dead-letter queue it redrives to after {@code maxReceiveCount} receives. */
  public record QueuePair(String queueUrl, String deadLetterQueueUrl, String deadLetterQueueArn) {}

  @Override
  public void beforeAll(ExtensionContext context) {
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    int port = server.waitUntilStarted().localAddress().getPort();
    endpoint = URI.create("http://127.0.0.1:" + port);
    client = TestAws.configure(SqsClient.builder(), endpoint).httpClientBuilder(TestAws.http()).build();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stopAndWait();
    }
  }

  public SqsClient client() {
    return client;
  }

  /** Another client of the server whose calls {@code recorder} records (requests counted per operation). */
  public SqsClient newClient(RecordedOperations recorder) {
    return newClient((software.amazon.awssdk.core.interceptor.ExecutionInterceptor) recorder);
  }

  /** Another client of the server with this interceptor (counting calls, failing some, …). */
  public SqsClient newClient(software.amazon.awssdk.core.interceptor.ExecutionInterceptor interceptor) {
    return TestAws.configure(SqsClient.builder(), endpoint).httpClientBuilder(TestAws.http())
        .overrideConfiguration(o -> o.addExecutionInterceptor(interceptor)).build();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Creates a DLQ and a queue redriving to it, under names no other test uses. */
  public QueuePair createQueuePair(int maxReceiveCount) {
    String name = TestAws.uniqueName("classify");
    String dlqUrl = client.createQueue(c -> c.queueName(name + "-dlq")).queueUrl();
    String dlqArn =
        client.getQueueAttributes(g -> g.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
    String url =
        client.createQueue(c -> c.queueName(name).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive)))
            .queueUrl();
    return new QueuePair(url, dlqUrl, dlqArn);
  }
}
