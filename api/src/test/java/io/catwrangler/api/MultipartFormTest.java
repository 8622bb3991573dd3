package io.catwrangler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartFormTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void reads_fields_and_a_file_with_binary_content_that_contains_line_breaks_and_dashes() throws Exception {
    byte[] content = "\r\n--not-the-boundary\r\n--bound\0\r\n--boundary".getBytes(StandardCharsets.ISO_8859_1);
    byte[] body = Multipart.form("boundary42", List.of(Multipart.field("batch_id", "x1"),
        Multipart.file("file", "cat.jpg", "image/jpeg", content)));
    MultipartForm form = MultipartForm.parse(body, "multipart/form-data; boundary=boundary42");
    assertThat(form.field("batch_id")).contains("x1");
    assertThat(form.files()).hasSize(1);
    assertThat(form.files().get(0).fileName()).contains("cat.jpg");
    assertThat(form.files().get(0).contentType()).contains("image/jpeg");
    assertThat(form.files().get(0).content()).isEqualTo(content);
  }

  @Test
  void a_quoted_boundary_a_preamble_and_an_epilogue() throws Exception {
    String body = "preamble text\r\n--\"q b\"\r\n"
        .replace("\"q b\"", "q b")
        + "Content-Disposition: form-data; name=\"f\"; filename=\"a.png\"\r\n\r\nDATA\r\n--q b--\r\nepilogue";
    MultipartForm form = MultipartForm.parse(bytes(body), "multipart/form-data; boundary=\"q b\"");
    assertThat(form.files().get(0).text()).isEqualTo("DATA");
  }

  @Test
  void rfc5987_file_names_and_windows_paths() throws Exception {
    String body = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.jpg\"; filename*=UTF-8''ch%C3%A4t.jpg"
        + "\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"g\"; filename=\"C:\\dir\\y.png\"\r\n\r\n2\r\n--b--";
    MultipartForm form = MultipartForm.parse(bytes(body), "multipart/form-data; boundary=b");
    assertThat(form.files().get(0).fileName()).contains("chät.jpg");
    assertThat(form.files().get(1).fileName()).contains("C:\\dir\\y.png");
  }

  @Test
  void malformed_bodies_are_refused() {
    String ok = "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n--b--";
    assertThatThrownBy(() -> MultipartForm.parse(bytes(ok), "multipart/form-data"))
        .isInstanceOf(MultipartForm.MalformedMultipartException.class);
    assertThatThrownBy(() -> MultipartForm.parse(bytes(ok), "text/plain; boundary=b"))
        .isInstanceOf(MultipartForm.MalformedMultipartException.class);
    assertThatThrownBy(() -> MultipartForm.parse(bytes("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx"),
        "multipart/form-data; boundary=b")).hasMessageContaining("closing delimiter");
    assertThatThrownBy(() -> MultipartForm.parse(bytes("--b\r\nContent-Type: x\r\n\r\nx\r\n--b--"),
        "multipart/form-data; boundary=b")).hasMessageContaining("Content-Disposition");
    assertThatThrownBy(() -> MultipartForm.parse(bytes("nothing here"), "multipart/form-data; boundary=b"))
        .hasMessageContaining("delimiter");
    assertThatThrownBy(() -> MultipartForm.parse(bytes("--b\r\n" + "X: y\r\n".repeat(3000) + "\r\nx\r\n--b--"),
        "multipart/form-data; boundary=b")).hasMessageContaining("headers");
  }

  @Test
  void random_bytes_never_break_the_parser() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] noise = new byte[random.nextInt(200)];
      random.nextBytes(noise);
      if (random.nextBoolean() && noise.length > 4) {
        System.arraycopy(bytes("--b\r\n"), 0, noise, 0, 5);
      }
      try {
        MultipartForm.parse(noise, "multipart/form-data; boundary=b");
      } catch (MultipartForm.MalformedMultipartException expected) {
        // fine: refused, not crashed
      }
    }
  }
}
