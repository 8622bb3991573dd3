package io.catwrangler.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.events.Json;
import org.junit.jupiter.api.Test;

class PollPaceTest {
  private static final long SECOND = 1_000_000_000L;

  private static JsonNode page(long classified, long failed, long pending) {
    var page = Json.object();
    page.put("total", classified + failed + pending);
    page.putObject("counts").put("CLASSIFIED", classified).put("FAILED", failed).put("PENDING", pending);
    return page;
  }

  @Test
  void aQuarterSecondUntilARateIsSeenThenHalfTheTimeThePendingImagesShouldTakeWithinFiftyMillisAndOneSecond() {
    PollPace pace = new PollPace(1000);
    assertThat(pace.next(page(0, 0, 1000), 0)).isEqualTo(250);
    assertThat(pace.next(page(0, 0, 1000), SECOND / 4)).isEqualTo(250); // nothing done yet: no rate
    assertThat(pace.next(page(90, 10, 900), SECOND)).isEqualTo(1000); // 100/s, 9 s to go: capped at 1 s
    assertThat(pace.next(page(700, 10, 290), 8 * SECOND)).isEqualTo(1000); // ~89/s, 3.3 s to go
    assertThat(pace.next(page(950, 10, 40), 10 * SECOND)).isEqualTo(208); // 96/s: 0.42 s to go, half of it
    assertThat(pace.next(page(995, 0, 5), 10 * SECOND + SECOND / 5)).isEqualTo(50); // the end: every 50 ms
  }

  @Test
  void imagesNotListedYetCountAsPending() {
    PollPace pace = new PollPace(1000);
    pace.next(page(0, 0, 10), 0); // only 10 of 1000 uploads listed so far
    assertThat(pace.next(page(10, 0, 0), SECOND)).isEqualTo(1000); // 990 still to come at 10/s
  }
}
