package io.catwrangler.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileNameTest {
  @Test
  void keepsOnlyTheLastPathSegment() {
    assertThat(FileName.sanitise("../../etc/passwd")).contains(new FileName("passwd"));
    assertThat(FileName.sanitise("C:\\Users\\me\\cat.jpg")).contains(new FileName("cat.jpg"));
  }

  @Test
  void dropsControlAndInvisibleFormattingCharacters() {
    // a right-to-left override would make "gpj.exe" read as "exe.jpg"
    assertThat(FileName.sanitise("cat\u202egpj.exe")).contains(new FileName("catgpj.exe"));
    assertThat(FileName.sanitise("a\u0000b\u0007c\r\nd\u200b.png")).contains(new FileName("abc d.png"));
  }

  @Test
  void normalisesAndCaps() {
    assertThat(FileName.sanitise("Mo\u0308we.jpg")).contains(new FileName("Möwe.jpg"));
    String longName = "🐱".repeat(300);
    assertThat(FileName.sanitise(longName).orElseThrow().value().codePointCount(0, 510))
        .isEqualTo(FileName.MAX_CODE_POINTS);
  }

  @Test
  void nothingUsableLeftIsNoName() {
    assertThat(FileName.sanitise(null)).isEmpty();
    assertThat(FileName.sanitise("  ")).isEmpty();
    assertThat(FileName.sanitise("photos/")).isEmpty();
    assertThat(FileName.sanitise("..")).isEqualTo(Optional.empty());
    assertThat(FileName.sanitise("\u0001\u0002")).isEmpty();
  }

  @Test
  void refusesUnsanitisedNamesDirectly() {
    assertThatThrownBy(() -> new FileName("a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FileName("tab\there")).isInstanceOf(IllegalArgumentException.class);
  }
}
