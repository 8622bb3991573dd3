package io.catwrangler.events;

import java.text.Normalizer;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The file name the upstream gave a submission. Never trusted: {@link #sanitise} keeps only the last path segment,
 * drops control and invisible formatting characters (bidi overrides, zero-width joiners), normalises to NFC and
 * caps the length, so the stored value is safe to log and to show once HTML-escaped. It is a label, never a path.
 */
public record FileName(String value) {
  public static final int MAX_CODE_POINTS = 255;
  /** Compiled once: {@code String.replaceAll} compiles its pattern on every upload. */
  private static final Pattern SPACES = Pattern.compile(" {2,}");

  public FileName {
    Objects.requireNonNull(value, "file name");
    if (value.isBlank()
        || value.codePointCount(0, value.length()) > MAX_CODE_POINTS
        || value.indexOf('/') >= 0
        || value.indexOf('\\') >= 0
        || value.codePoints().anyMatch(FileName::unsafe)) {
      throw new IllegalArgumentException("not a sanitised file name; build one with FileName.sanitise");
    }
  }

  /** The safe form of an untrusted name; empty when nothing usable is left (blank, ".", "..", only control characters). */
  public static Optional<FileName> sanitise(String untrusted) {
    if (untrusted == null) {
      return Optional.empty();
    }
    String name = Normalizer.normalize(untrusted, Normalizer.Form.NFC);
    int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = name.substring(cut + 1);
    StringBuilder kept = new StringBuilder(Math.min(name.length(), MAX_CODE_POINTS));
    name.codePoints()
        .map(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp) ? ' ' : cp)
        .filter(cp -> !unsafe(cp))
        .limit(MAX_CODE_POINTS)
        .forEach(kept::appendCodePoint);
    String result = SPACES.matcher(kept.toString().strip()).replaceAll(" ");
    if (result.isEmpty() || result.equals(".") || result.equals("..")) {
      return Optional.empty();
    }
    return Optional.of(new FileName(result));
  }

  private static boolean unsafe(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  @Override
  public String toString() {
    return value;
  }
}
