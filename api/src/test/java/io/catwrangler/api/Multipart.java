package io.catwrangler.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds multipart/form-data bodies the way browsers do, for tests. */
final class Multipart {
  record Part(String headers, byte[] content) {}

  private Multipart() {}

  static Part field(String name, String value) {
    return new Part("Content-Disposition: form-data; name=\"" + name + "\"\r\n",
        value.getBytes(StandardCharsets.UTF_8));
  }

  static Part file(String name, String fileName, String type, byte[] bytes) {
    return new Part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
        + "Content-Type: " + type + "\r\n", bytes);
  }

  static byte[] form(String boundary, List<Part> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part p : parts) {
      out.writeBytes(("--" + boundary + "\r\n" + p.headers() + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(p.content());
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
