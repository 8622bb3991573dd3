package io.catwrangler.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.port.contract.ContractEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifyRequestCodecTest {
  private final ClassifyRequestCodec codec = new ClassifyRequestCodec();

  @Test
  void aRequestSurvivesARoundTrip() {
    var id = ContractEvents.image(1);
    ClassifyRequest full = ClassifyRequest.of(ContractEvents.received(id, 1, "batch-1", "a cat.jpg"));
    ClassifyRequest bare = ClassifyRequest.of(ContractEvents.receivedWithoutMetadata(id, 1));

    assertThat(codec.decode(codec.encode(full))).isEqualTo(full);
    assertThat(codec.decode(codec.encode(bare))).isEqualTo(bare);
    assertThat(full.toEvent(1)).isEqualTo(ContractEvents.received(id, 1, "batch-1", "a cat.jpg"));
    assertThat(codec.encode(full)).doesNotContain("reclassify");
  }

  @Test
  void aReclassificationSaysSoAndSurvivesARoundTrip() {
    var received = ContractEvents.received(ContractEvents.image(2), 1, "batch-1", "a cat.jpg");
    ClassifyRequest request = ClassifyRequest.reclassify(received, "reclassify-1");

    String json = codec.encode(request);

    assertThat(json).contains("\"reclassify\":true");
    assertThat(codec.decode(json)).isEqualTo(request);
    assertThat(codec.decode(json).reclassify()).isTrue();
    assertThat(codec.decode(json).correlationId()).isEqualTo("reclassify-1");
    assertThat(codec.decode(json).submission()).isEqualTo(received.submission());
  }

  @Test
  void anythingElseIsAMalformedMessage() {
    String good = codec.encode(ClassifyRequest.of(ContractEvents.received(ContractEvents.image(1), 1, "b", "x")));

    for (String broken :
        List.of(
            "",
            "{}",
            "{\"Records\":[{\"eventSource\":\"aws:s3\"}]}",
            good.replace("\"request_format\":1", "\"request_format\":2"),
            good.replace("image/jpeg", "image/webp"),
            good.replaceFirst("\"image_id\":\"[0-9a-f]+\"", "\"image_id\":\"nope\""),
            good.replace("\"request_format\":1", "\"request_format\":1,\"reclassify\":\"yes\""))) {
      assertThatThrownBy(() -> codec.decode(broken)).as(broken).isInstanceOf(MalformedMessageException.class);
    }
  }
}
