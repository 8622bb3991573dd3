package io.catwrangler.core.query;

/** The one-word answer to "does this image contain a cat?"; absent (null in JSON) while there is none. */
public enum Answer {
  YES("yes"),
  NO("no");

  private final String wireName;

  Answer(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Answer of(boolean isCat) {
    return isCat ? YES : NO;
  }
}
