package io.catwrangler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3KeysTest {
  @Test
  void decodesTheKeyOfAnS3EventRecord() {
    assertThat(S3Keys.decode("incoming/my+cat+%281%29.jpg")).isEqualTo("incoming/my cat (1).jpg");
    assertThat(S3Keys.decode("incoming/a%2Bb.jpg")).isEqualTo("incoming/a+b.jpg");
    assertThat(S3Keys.decode("incoming/%C3%A9t%C3%A9.png")).isEqualTo("incoming/été.png");
    assertThat(S3Keys.decode("incoming/plain.jpg")).isEqualTo("incoming/plain.jpg");
  }

  @Test
  void refusesABrokenEscape() {
    assertThatThrownBy(() -> S3Keys.decode("incoming/100%.jpg")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Keys.decode("incoming/%zz.jpg")).isInstanceOf(IllegalArgumentException.class);
  }
}
