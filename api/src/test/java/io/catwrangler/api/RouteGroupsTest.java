package io.catwrangler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.image.ImageLimits;
import org.junit.jupiter.api.Test;

/** An {@link Api} serves the route groups its deployment gives it; a route of another group is 501. */
class RouteGroupsTest {
  private static final String ID = "a".repeat(64);

  private static ApiResponse call(Api api, String method, String path) {
    return api.handle(ApiRequest.builder(method, path).build());
  }

  @Test
  void an_api_without_groups_answers_health_and_its_document_and_501_for_every_group_route() {
    Api none = Api.builder().build();

    assertThat(call(none, "GET", "/healthz").status()).isEqualTo(200);
    assertThat(call(none, "GET", "/openapi.json").status()).isEqualTo(200);
    for (String[] route : new String[][] {
        {"POST", "/images"}, {"GET", "/images/" + ID}, {"GET", "/images/" + ID + "/events"},
        {"GET", "/batches/b-1"}, {"GET", "/batches/b-1/results"}, {"POST", "/admin/replay"},
        {"GET", "/admin/dead-letters"}, {"POST", "/admin/dead-letters/x-1/retry"}, {"POST", "/admin/dead-letters/retry"},
        {"GET", "/images/" + ID + "/content"}, {"POST", "/images/" + ID + "/labels"}, {"GET", "/quality"}}) {
      ApiResponse r = call(none, route[0], route[1]);
      assertThat(r.status()).as(route[0] + " " + route[1]).isEqualTo(501);
      assertThat(r.jsonBody().path("error").asText()).isEqualTo("NOT_IMPLEMENTED");
    }
    assertThat(call(none, "GET", "/admin/notifications/dead-letters").status())
        .as("no webhooks sent: no notification dead letters").isEqualTo(404);
  }

  @Test
  void each_group_serves_its_routes_alone() {
    ApiFixture f = new ApiFixture();
    Api queryOnly = Api.builder().query(new io.catwrangler.core.query.QueryResults(f.view, f.events)).build();

    assertThat(call(queryOnly, "GET", "/batches/b-1").status()).isEqualTo(404); // served: no such batch
    assertThat(call(queryOnly, "POST", "/images").status()).isEqualTo(501);
    assertThat(call(queryOnly, "POST", "/admin/replay").status()).isEqualTo(501);
  }

  @Test
  void the_upload_body_limit_is_the_ingest_groups() {
    ApiFixture f = new ApiFixture(new ImageLimits(1000, 100, 10_000));

    assertThat(f.api.bodyLimit("POST", "/images", java.util.Optional.empty())).isEqualTo(1000);
    assertThat(Api.builder().build().bodyLimit("POST", "/images", java.util.Optional.empty()))
        .as("a server that takes no uploads reads no more than a small body").isEqualTo(Api.SMALL_BODY_LIMIT);
  }
}
