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
            good.replaceFirst("\"image_id\":\"[0-9a-f]+\"", "\"image_id\":\"nope\""))) {
      assertThatThrownBy(() -> codec.decode(broken)).as(broken).isInstanceOf(MalformedMessageException.class);
    }
  }
}
