package io.catwrangler.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NotifyAllowListTest {
  private final NotifyAllowList list = NotifyAllowList.parse("hooks.example.com, 127.0.0.1:9000,[::1]:7000");

  @Test
  void aHostWithoutPortAllowsTheSchemesDefaultPortOnly() {
    assertThat(list.allows("https://hooks.example.com/cats?team=7")).isTrue();
    assertThat(list.allows("http://HOOKS.example.com/cats")).isTrue();
    assertThat(list.allows("https://hooks.example.com:443/x")).isTrue();
    assertThat(list.allows("https://hooks.example.com:8443/x")).isFalse();
    assertThat(list.allows("http://hooks.example.com:443/x")).isFalse();
  }

  @Test
  void aHostWithPortAllowsThatPortOnly() {
    assertThat(list.allows("http://127.0.0.1:9000/hook")).isTrue();
    assertThat(list.allows("http://127.0.0.1/hook")).isFalse();
    assertThat(list.allows("http://127.0.0.1:9001/hook")).isFalse();
    assertThat(list.allows("http://[::1]:7000/hook")).isTrue();
  }

  @Test
  void lookalikesAndTricksAreRefused() {
    for (String url : List.of(
        "https://hooks.example.com.evil.test/",
        "https://evilhooks.example.com/",
        "https://sub.hooks.example.com/",
        "https://hooks.example.com@evil.test/",
        "https://evil.test/?u=https://hooks.example.com/",
        "http://localhost:9000/",
        "http://2130706433:9000/",
        "file:///etc/passwd",
        "gopher://hooks.example.com/",
        "https://hooks.example.com/#x",
        "not a url")) {
      assertThat(list.allows(url)).as(url).isFalse();
    }
  }

  @Test
  void theTargetSaysWhyItIsRefused() {
    assertThatThrownBy(() -> list.target("https://evil.test/", false)).hasMessageContaining("allow-list");
    assertThatThrownBy(() -> NotifyAllowList.NONE.target("https://hooks.example.com/", false))
        .hasMessageContaining("allowed none");
    assertThatThrownBy(() -> list.target("ftp://hooks.example.com/", false)).hasMessageContaining("http");
    assertThat(list.target("https://hooks.example.com/x", true).eachImage()).isTrue();
  }

  @Test
  void entriesAreHostsWithAnOptionalPortAndNothingElse() {
    for (String bad : List.of("hooks.example.com/path", "user@hooks.example.com", "hooks.example.com:x",
        "hooks.example.com?q", "https://hooks.example.com")) {
      assertThatThrownBy(() -> NotifyAllowList.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(NotifyAllowList.parse(" , ").isEmpty()).isTrue();
    assertThat(list.toString()).isEqualTo("hooks.example.com,127.0.0.1:9000,[::1]:7000");
  }
}
