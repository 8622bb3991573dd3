package io.catwrangler.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body (RFC 7578) as the upload form of the web page sends it: parts with a name,
 * perhaps a file name, and bytes. Parsed from a body already in memory (the transport capped its size), with
 * bounded work: one forward scan for the delimiters, header blocks capped at {@value #MAX_HEADER_BYTES} bytes, at
 * most {@value #MAX_PARTS} parts.
 */
public final class MultipartForm {
  static final int MAX_HEADER_BYTES = 8 * 1024;
  static final int MAX_PARTS = 32;
  private static final int MAX_BOUNDARY = 70;
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  /**
   * One part.
   *
   * @param name the form field's name
   * @param fileName the file name the browser gave, untrusted; empty for a plain field
   * @param contentType the part's declared type, untrusted (the bytes decide the format)
   */
  public record Part(String name, Optional<String> fileName, Optional<String> contentType, byte[] content) {
    /** The content as UTF-8 text, for plain fields. */
    public String text() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  private final List<Part> parts;

  private MultipartForm(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  public List<Part> parts() {
    return parts;
  }

  /** The parts that carry a file (they have a {@code filename} parameter). */
  public List<Part> files() {
    return parts.stream().filter(p -> p.fileName().isPresent()).toList();
  }

  /** The first plain field of that name, as text. */
  public Optional<String> field(String name) {
    return parts.stream().filter(p -> p.fileName().isEmpty() && p.name().equals(name)).map(Part::text).findFirst();
  }

  /**
   * @param contentType the request's {@code Content-Type} header, with its {@code boundary} parameter
   * @throws MalformedMultipartException no boundary, no closing delimiter, a part without
   *     {@code Content-Disposition: form-data}, too many parts, a header block too long
   */
  public static MultipartForm parse(byte[] body, String contentType) throws MalformedMultipartException {
    byte[] delimiter = ("--" + boundary(contentType)).getBytes(StandardCharsets.ISO_8859_1);
    int pos = indexOf(body, delimiter, 0);
    // the first delimiter opens the body or follows a CRLF that ends the preamble
    while (pos > 0 && !(pos >= 2 && body[pos - 2] == '\r' && body[pos - 1] == '\n')) {
      pos = indexOf(body, delimiter, pos + 1);
    }
    if (pos < 0) {
      throw new MalformedMultipartException("no multipart delimiter in the body");
    }
    byte[] nextDelimiter = concat(CRLF, delimiter);
    List<Part> parts = new ArrayList<>();
    pos += delimiter.length;
    while (true) {
      if (startsWith(body, pos, new byte[] {'-', '-'})) {
        return new MultipartForm(parts);
      }
      pos = skipTransportPadding(body, pos);
      if (!startsWith(body, pos, CRLF)) {
        throw new MalformedMultipartException("a multipart delimiter is not followed by a line break");
      }
      pos += CRLF.length;
      int headersEnd = indexOf(body, HEADER_END, pos, Math.min(body.length, pos + MAX_HEADER_BYTES + HEADER_END.length));
      Map<String, String> headers;
      int contentStart;
      if (startsWith(body, pos, CRLF)) { // a part with no headers at all
        headers = Map.of();
        contentStart = pos + CRLF.length;
      } else if (headersEnd < 0) {
        throw new MalformedMultipartException("a part's headers do not end within " + MAX_HEADER_BYTES + " bytes");
      } else {
        headers = headers(new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8));
        contentStart = headersEnd + HEADER_END.length;
      }
      int contentEnd = indexOf(body, nextDelimiter, contentStart);
      if (contentEnd < 0) {
        throw new MalformedMultipartException("the multipart body ends without its closing delimiter");
      }
      if (parts.size() == MAX_PARTS) {
        throw new MalformedMultipartException("more than " + MAX_PARTS + " parts");
      }
      parts.add(part(headers, Arrays.copyOfRange(body, contentStart, contentEnd)));
      pos = contentEnd + nextDelimiter.length;
    }
  }

  private static Part part(Map<String, String> headers, byte[] content) throws MalformedMultipartException {
    String disposition = headers.get("content-disposition");
    if (disposition == null) {
      throw new MalformedMultipartException("a part has no Content-Disposition header");
    }
    Map<String, String> params = new LinkedHashMap<>();
    String type = parameters(disposition, params);
    if (!type.equalsIgnoreCase("form-data")) {
      throw new MalformedMultipartException("a part is " + type + ", not form-data");
    }
    String name = params.get("name");
    if (name == null) {
      throw new MalformedMultipartException("a part has no name");
    }
    Optional<String> fileName = Optional.ofNullable(params.get("filename"));
    String extended = params.get("filename*");
    if (extended != null) { // RFC 5987: UTF-8''percent-encoded
      int quote = extended.indexOf("''");
      String encoded = quote >= 0 ? extended.substring(quote + 2) : extended;
      try {
        fileName = Optional.of(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // keep the plain filename parameter
      }
    }
    return new Part(name, fileName, Optional.ofNullable(headers.get("content-type")), content);
  }

  static String boundary(String contentType) throws MalformedMultipartException {
    if (contentType == null) {
      throw new MalformedMultipartException("no Content-Type");
    }
    Map<String, String> params = new LinkedHashMap<>();
    String type = parameters(contentType, params);
    if (!type.equalsIgnoreCase("multipart/form-data")) {
      throw new MalformedMultipartException("not multipart/form-data: " + type);
    }
    String boundary = params.get("boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
      throw new MalformedMultipartException("multipart/form-data needs a boundary of 1 to 70 characters");
    }
    return boundary;
  }

  /** Splits {@code value; a=b; c="d"} into the value (returned) and its parameters (names in lower case). */
  private static String parameters(String header, Map<String, String> params) {
    int i = header.indexOf(';');
    String value = (i < 0 ? header : header.substring(0, i)).strip();
    while (i >= 0 && i < header.length()) {
      i++; // past ';'
      int eq = header.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String name = header.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      int p = eq + 1;
      while (p < header.length() && header.charAt(p) == ' ') {
        p++;
      }
      StringBuilder v = new StringBuilder();
      if (p < header.length() && header.charAt(p) == '"') {
        p++;
        while (p < header.length() && header.charAt(p) != '"') {
          char c = header.charAt(p);
          // browsers do not escape backslashes in file names (C:\x\y.jpg); only \" and \\ are escapes
          if (c == '\\' && p + 1 < header.length() && (header.charAt(p + 1) == '"' || header.charAt(p + 1) == '\\')) {
            p++;
            c = header.charAt(p);
          }
          v.append(c);
          p++;
        }
        p = header.indexOf(';', p);
      } else {
        int end = header.indexOf(';', p);
        v.append((end < 0 ? header.substring(p) : header.substring(p, end)).strip());
        p = end;
      }
      params.putIfAbsent(name, v.toString());
      i = p;
    }
    return value;
  }

  private static Map<String, String> headers(String block) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : block.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
      }
    }
    return headers;
  }

  private static int skipTransportPadding(byte[] b, int pos) {
    while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t')) {
      pos++;
    }
    return pos;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    return indexOf(haystack, needle, from, haystack.length);
  }

  /** First index of {@code needle} starting in [from, end - needle.length]; -1 when none. */
  private static int indexOf(byte[] haystack, byte[] needle, int from, int end) {
    byte first = needle[0];
    for (int i = Math.max(from, 0); i <= end - needle.length; i++) {
      if (haystack[i] != first) {
        continue;
      }
      int j = 1;
      while (j < needle.length && haystack[i + j] == needle[j]) {
        j++;
      }
      if (j == needle.length) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, int pos, byte[] prefix) {
    if (pos < 0 || b.length - pos < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[pos + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** The body is not the multipart form it claims to be (400). */
  public static final class MalformedMultipartException extends Exception {
    public MalformedMultipartException(String message) {
      super(message);
    }
  }
}
