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
    if (by.isBlank()) {
      throw new IllegalArgumentException("by: must not be blank");
    }
    if (!by.equals(by.strip())) {
      throw new IllegalArgumentException("by: no leading or trailing white space");
    }
    if (by.codePointCount(0, by.length()) > MAX_BY) {
      throw new IllegalArgumentException("by: at most " + MAX_BY + " characters");
    }
    if (by.codePoints().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("by: no control characters");
    }
  }
}
