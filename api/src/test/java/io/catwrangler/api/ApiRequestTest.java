package io.catwrangler.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiRequestTest {
  @Test
  void headers_are_case_insensitive_and_repeats_are_joined() {
    ApiRequest r = ApiRequest.builder("get", "/x").header("X-Batch-Id", "a").header("x-batch-id", "b")
        .header("Content-Type", "Multipart/Form-Data; boundary=z").build();
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.header("X-BATCH-ID")).contains("a, b");
    assertThat(r.mediaType()).contains("multipart/form-data");
  }

  @Test
  void query_strings_are_decoded() {
    ApiRequest r = ApiRequest.builder("GET", "/x").rawQuery("a=1&b=x%20y&a=2&flag&bad=%zz").build();
    assertThat(r.query().get("a")).containsExactly("1", "2");
    assertThat(r.queryParameter("b")).contains("x y");
    assertThat(r.queryParameter("flag")).contains("");
    assertThat(r.queryParameter("bad")).contains("%zz");
    assertThat(r.queryParameter("none")).isEmpty();
  }

  @Test
  void file_names_are_percent_decoded_when_they_decode() {
    assertThat(Api.percentDecoded("plain.jpg")).isEqualTo("plain.jpg");
    assertThat(Api.percentDecoded("caf%C3%A9.jpg")).isEqualTo("café.jpg");
    assertThat(Api.percentDecoded("100%.jpg")).isEqualTo("100%.jpg");
    assertThat(Api.percentDecoded("%FF%FE.jpg")).isEqualTo("%FF%FE.jpg");
  }
}
