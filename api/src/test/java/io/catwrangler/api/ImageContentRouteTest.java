package io.catwrangler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.TestImages;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.query.ReadImageContent;
import io.catwrangler.events.ImageId;
import org.junit.jupiter.api.Test;

/** {@code GET /images/{id}/content}: the stored bytes, for the web page to show an image it did not upload. */
class ImageContentRouteTest {
  private final ApiFixture f = new ApiFixture();
  private final Api api =
      Api.builder()
          .ingest(new IngestImage(new ImageInspector(f.config.imageLimits()), f.images, f.events, f.queue, f.clock,
              f.config))
          .query(new QueryResults(f.view, f.events))
          .content(new ReadImageContent(f.images))
          .build();

  private ApiResponse get(String path) {
    return api.handle(ApiRequest.builder("GET", path).build());
  }

  private String upload(byte[] bytes) {
    ApiResponse r = api.handle(ApiRequest.builder("POST", "/images").body(bytes).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
    return r.jsonBody().path("image_id").asText();
  }

  @Test
  void answers_the_uploaded_bytes_with_their_media_type() {
    byte[] jpeg = TestImages.jpeg(40, 30);
    byte[] png = TestImages.png(33, 21);
    String jpegId = upload(jpeg);
    String pngId = upload(png);

    ApiResponse r = get("/images/" + jpegId + "/content");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("image/jpeg");
    assertThat(r.header("ETag")).isEqualTo("\"" + jpegId + "\"");
    assertThat(r.body()).isEqualTo(jpeg);

    ApiResponse p = get("/images/" + pngId.toUpperCase() + "/content");
    assertThat(p.status()).isEqualTo(200);
    assertThat(p.header("Content-Type")).isEqualTo("image/png");
    assertThat(p.body()).isEqualTo(png);
  }

  @Test
  void bytes_that_are_neither_jpeg_nor_png_are_not_given_an_image_type() {
    byte[] damaged = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    ImageId id = ImageId.sha256Of(damaged);
    f.images.put(id, damaged);
    assertThat(get("/images/" + id.value() + "/content").header("Content-Type")).isEqualTo("application/octet-stream");
  }

  @Test
  void an_unknown_image_is_404_and_a_malformed_id_400() {
    ApiResponse unknown = get("/images/" + ImageId.sha256Of(new byte[] {1, 2, 3}).value() + "/content");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.jsonBody().path("error").asText()).isEqualTo("NOT_FOUND");

    ApiResponse malformed = get("/images/not-an-id/content");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.jsonBody().path("error").asText()).isEqualTo("INVALID_ID");
  }

  @Test
  void the_route_has_a_template_label_and_takes_only_get() {
    assertThat(Api.route("GET", "/images/" + "a".repeat(64) + "/content")).contains(Route.GET_IMAGE_CONTENT);
    assertThat(Route.GET_IMAGE_CONTENT.label()).isEqualTo("GET /images/{id}/content");
    assertThat(api.handle(ApiRequest.builder("POST", "/images/" + "a".repeat(64) + "/content").build()).status())
        .isEqualTo(405);
  }

  @Test
  void a_server_without_image_content_says_so() {
    String id = ImageId.sha256Of(new byte[] {1}).value();
    ApiResponse r = f.call(ApiRequest.builder("GET", "/images/" + id + "/content"));
    assertThat(r.status()).isEqualTo(501);
    assertThat(r.jsonBody().path("error").asText()).isEqualTo("NOT_IMPLEMENTED");
  }
}
