package io.catwrangler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.aws.testing.ElasticMqServer;
import io.catwrangler.aws.testing.RecordedOperations;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.Lease;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import io.catwrangler.core.port.WorkQueue;
import io.catwrangler.core.port.contract.WorkQueueContract;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The work queue contract on ElasticMQ, in real time: SQS counts visibility in whole seconds. */
class SqsWorkQueueTest extends WorkQueueContract {
  @RegisterExtension static final ElasticMqServer SQS = new ElasticMqServer();

  @Override
  protected WorkQueue newQueue(int maxAttempts) {
    ElasticMqServer.QueuePair queues = SQS.createQueuePair(maxAttempts);
    return new SqsWorkQueue(SQS.client(), queues.queueUrl(), queues.deadLetterQueueUrl(), maxAttempts,
        Clock.systemUTC());
  }

  @Override
  protected Duration visibility() {
    // two seconds, not one: a stall of the test machine must not outlast a lease before its assertion
    return Duration.ofSeconds(2);
  }

  @Override
  protected void elapse(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void manyRequestsGoTenToACall() {
    ElasticMqServer.QueuePair queues = SQS.createQueuePair(3);
    RecordedOperations calls = new RecordedOperations();
    SqsWorkQueue queue = new SqsWorkQueue(SQS.newClient(calls), queues.queueUrl(), queues.deadLetterQueueUrl(), 3,
        Clock.systemUTC());
    List<ClassifyRequest> requests = new java.util.ArrayList<>();
    for (int i = 1; i <= 21; i++) {
      requests.add(request(i));
    }

    assertThat(queue.enqueueAll(requests)).isEqualTo(21);

    // 10 + 10 + a lone one
    assertThat(calls.operations()).containsExactly("SendMessageBatch", "SendMessageBatch", "SendMessage");
    List<ClassifyRequest> received = new java.util.ArrayList<>();
    for (int round = 0; round < 10 && received.size() < 21; round++) {
      queue.lease(10, visibility()).forEach(l -> received.add(l.request()));
    }
    assertThat(received).containsExactlyInAnyOrderElementsOf(requests);
  }

  @Test
  void anOperatorRedrivesTheDeadLettersWithStartMessageMoveTask() {
    ElasticMqServer.QueuePair queues = SQS.createQueuePair(1);
    SqsWorkQueue queue =
        new SqsWorkQueue(SQS.client(), queues.queueUrl(), queues.deadLetterQueueUrl(), 1, Clock.systemUTC());
    queue.enqueue(request(1));
    assertThat(queue.lease(10, visibility())).hasSize(1);
    elapse(visibility().plusSeconds(1));
    assertThat(queue.lease(10, visibility())).as("moved to the DLQ by its redrive policy").isEmpty();
    assertThat(queue.deadLetters(10)).hasSize(1);

    String task = SQS.client().startMessageMoveTask(s -> s.sourceArn(queues.deadLetterQueueArn())).taskHandle();
    Instant deadline = Instant.now().plusSeconds(10);
    String status = "";
    while (!"COMPLETED".equals(status) && Instant.now().isBefore(deadline)) {
      List<ListMessageMoveTasksResultEntry> tasks =
          SQS.client().listMessageMoveTasks(l -> l.sourceArn(queues.deadLetterQueueArn())).results();
      status = tasks.stream().filter(t -> task.equals(t.taskHandle())).map(ListMessageMoveTasksResultEntry::status)
          .findFirst().orElse("");
      elapse(java.time.Duration.ofMillis(100));
    }

    assertThat(status).isEqualTo("COMPLETED");
    assertThat(queue.deadLetters(10)).isEmpty();
    assertThat(queue.lease(10, visibility())).singleElement().satisfies((Lease lease) -> {
      assertThat(lease.request()).isEqualTo(request(1));
      assertThat(lease.attempt()).as("a moved message starts its receive count again").isEqualTo(1);
    });
  }
}
