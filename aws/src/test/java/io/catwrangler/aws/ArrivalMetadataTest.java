package io.catwrangler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.ingest.Upload;
import io.catwrangler.events.SubmissionSource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArrivalMetadataTest {
  private static final byte[] BYTES = {1, 2, 3};

  private static ArrivalMetadata.Applied arrival(String key, Map<String, String> metadata) {
    return ArrivalMetadata.upload(BYTES, new IncomingObject(key, BYTES.length, "\"etag\"", metadata));
  }

  @Test
  void withoutMetadataAnArrivalIsAnS3SubmissionNamedAfterItsKey() {
    ArrivalMetadata.Applied a = arrival("incoming/scans/cat 1.jpg", Map.of());
    Upload u = a.upload();
    assertThat(u.source()).isEqualTo(SubmissionSource.S3);
    assertThat(u.fileName()).contains("cat 1.jpg");
    assertThat(u.batchId()).isEmpty();
    assertThat(u.clientId()).isEmpty();
    assertThat(a.ignored()).isEmpty();
  }

  @Test
  void metadataGivesBatchClientNameAndSource() {
    Upload u = arrival("incoming/0b7e", Map.of("batch-id", " night-run:3 ", "client-id", "cam-7",
        "file-name", "caf%C3%A9.png", "source", "presigned")).upload();
    assertThat(u.batchId()).contains("night-run:3");
    assertThat(u.clientId()).contains("cam-7");
    assertThat(u.fileName()).contains("café.png");
    assertThat(u.source()).isEqualTo(SubmissionSource.PRESIGNED);
  }

  @Test
  void idsThatAreNotValidAreLeftOutAndReportedNotFatal() {
    ArrivalMetadata.Applied a = arrival("incoming/x.jpg", Map.of("batch-id", "../../etc", "client-id", "ok-client"));
    assertThat(a.upload().batchId()).isEmpty();
    assertThat(a.upload().clientId()).contains("ok-client");
    assertThat(a.ignored()).containsExactly("batch-id");
  }

  @Test
  void aPresignedUploadSignsTheSameNamesInAndRefusesBadIds() {
    Map<String, String> m = ArrivalMetadata.forPresignedUpload(Optional.of("b-1"), Optional.empty(),
        Optional.of("été 100%.jpg"));
    assertThat(m).containsOnly(Map.entry("source", "presigned"), Map.entry("batch-id", "b-1"),
        Map.entry("file-name", "%C3%A9t%C3%A9 100%25.jpg"));
    assertThat(arrival("incoming/k", m).upload().fileName()).contains("été 100%.jpg");
    assertThatThrownBy(() -> ArrivalMetadata.forPresignedUpload(Optional.of("a b"), Optional.empty(),
        Optional.empty())).isInstanceOf(IllegalArgumentException.class);
  }
}
