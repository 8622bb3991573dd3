package io.catwrangler.events;

import java.util.Objects;

/** Which upstream system sent a submission (header {@code X-Client-Id}); same alphabet as {@link BatchId}. */
public record ClientId(String value) {
  public ClientId {
    Objects.requireNonNull(value, "client id");
    if (!BatchId.SAFE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a client id is 1 to 128 characters of A-Z a-z 0-9 . _ : - and starts with a letter or digit");
    }
  }

  public static ClientId of(String value) {
    return new ClientId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
