package io.catwrangler.events;

import java.util.Objects;

/**
 * The payload of {@link LabelRecorded}: what a person says the image is, and who said it. A label never changes the
 * model's answer; it is kept beside it, so the model can be measured against people ({@code GET /quality}).
 *
 * @param cat true when the person says the image shows a cat
 * @param by who labelled it: a name, an e-mail address, a tool's id; free text for people, 1 to {@value #MAX_BY}
 *     characters after stripping, no control characters. Not authenticated: it is what the caller said.
 */
public record Label(boolean cat, String by) {
  public static final int MAX_BY = 128;

  public Label {
    Objects.requireNonNull(by, "by");
    if (by.isEmpty() || !by.equals(strip(by))) {
      throw new IllegalArgumentException(strip(by).isEmpty() ? "by: must not be blank"
          : "by: no leading or trailing white space");
    }
    if (by.codePointCount(0, by.length()) > MAX_BY) {
      throw new IllegalArgumentException("by: at most " + MAX_BY + " characters");
    }
    if (by.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
      throw new IllegalArgumentException("by: no control characters or line separators");
    }
  }

  /**
   * {@code value} without white space at either end, by the JSON Schema's rule ({@code \s} in ECMA-262: Java's
   * white space, the Unicode space separators such as the no-break space, and the byte-order mark), so that every
   * label the code accepts is valid against {@code LabelRecorded.schema.json}.
   */
  public static String strip(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && blank(value.charAt(start))) {
      start++;
    }
    while (end > start && blank(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  private static boolean blank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
  }
}
