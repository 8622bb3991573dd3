package io.catwrangler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.aws.testing.ElasticMqServer;
import io.catwrangler.aws.testing.RecordedOperations;
import io.catwrangler.core.port.ClassifyQueue;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ClassifyRequestCodec;
import io.catwrangler.core.port.contract.ClassifyQueueContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The classify queue contract on ElasticMQ; what is queued is taken out as classify-fn's event source mapping does
 * (ReceiveMessage, DeleteMessage), and the queue's redrive policy is SQS's own.
 */
class SqsClassifyQueueTest extends ClassifyQueueContract {
  @RegisterExtension static final ElasticMqServer SQS = new ElasticMqServer();

  private final ClassifyRequestCodec codec = new ClassifyRequestCodec();
  private ElasticMqServer.QueuePair queues;

  @Override
  protected ClassifyQueue newClassifyQueue() {
    queues = SQS.createQueuePair(3);
    return new SqsClassifyQueue(SQS.client(), queues.queueUrl());
  }

  @Override
  protected List<ClassifyRequest> takeAll(ClassifyQueue queue) {
    List<ClassifyRequest> taken = new ArrayList<>();
    for (List<Message> messages = receive(queues.queueUrl(), 30); !messages.isEmpty();
        messages = receive(queues.queueUrl(), 30)) {
      for (Message message : messages) {
        taken.add(codec.decode(message.body()));
        SQS.client().deleteMessage(d -> d.queueUrl(queues.queueUrl()).receiptHandle(message.receiptHandle()));
      }
    }
    return taken;
  }

  private static List<Message> receive(String queueUrl, int visibilitySeconds) {
    return SQS.client().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
        .visibilityTimeout(visibilitySeconds).waitTimeSeconds(0)
        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
  }

  @Test
  void manyRequestsGoTenToACall() {
    queues = SQS.createQueuePair(3);
    RecordedOperations calls = new RecordedOperations();
    SqsClassifyQueue queue = new SqsClassifyQueue(SQS.newClient(calls), queues.queueUrl());
    List<ClassifyRequest> requests = new ArrayList<>();
    for (int i = 1; i <= 21; i++) {
      requests.add(request(i));
    }

    assertThat(queue.enqueueAll(requests)).isEqualTo(21);

    // 10 + 10 + a lone one
    assertThat(calls.operations()).containsExactly("SendMessageBatch", "SendMessageBatch", "SendMessage");
    assertThat(takeAll(queue)).containsExactlyInAnyOrderElementsOf(requests);
  }

  @Test
  void anOperatorRedrivesTheDeadLettersWithStartMessageMoveTask() throws InterruptedException {
    queues = SQS.createQueuePair(1);
    new SqsClassifyQueue(SQS.client(), queues.queueUrl()).enqueue(request(1));
    assertThat(receive(queues.queueUrl(), 1)).hasSize(1);
    Thread.sleep(2000);
    assertThat(receive(queues.queueUrl(), 1)).as("moved to the DLQ by its redrive policy").isEmpty();
    assertThat(receive(queues.deadLetterQueueUrl(), 0)).hasSize(1);

    String task = SQS.client().startMessageMoveTask(s -> s.sourceArn(queues.deadLetterQueueArn())).taskHandle();
    Instant deadline = Instant.now().plusSeconds(10);
    String status = "";
    while (!"COMPLETED".equals(status) && Instant.now().isBefore(deadline)) {
      List<ListMessageMoveTasksResultEntry> tasks =
          SQS.client().listMessageMoveTasks(l -> l.sourceArn(queues.deadLetterQueueArn())).results();
      status = tasks.stream().filter(t -> task.equals(t.taskHandle())).map(ListMessageMoveTasksResultEntry::status)
          .findFirst().orElse("");
      Thread.sleep(100);
    }

    assertThat(status).isEqualTo("COMPLETED");
    assertThat(receive(queues.deadLetterQueueUrl(), 0)).isEmpty();
    assertThat(receive(queues.queueUrl(), 30)).singleElement().satisfies(message -> {
      assertThat(codec.decode(message.body())).isEqualTo(request(1));
      assertThat(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
          .as("a moved message starts its receive count again").isEqualTo("1");
    });
  }
}
