package io.catwrangler.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a submission asked to be told about its answers: a webhook URL (checked against the operator's allow-list on
 * the way in, and again before every delivery) and whether to be told about each image as well as the batch.
 *
 * @param url an absolute {@code http} or {@code https} URL with a host, no user info and no fragment, at most 2,048
 *     characters
 * @param eachImage one notification per image answered, besides the one when the batch is complete
 */
public record NotifyTarget(String url, boolean eachImage) {
  public static final int MAX_URL = 2048;

  public NotifyTarget {
    Objects.requireNonNull(url, "url");
    uri(url);
  }

  /** The URL parsed; throws {@link IllegalArgumentException} with the reason when it is not an acceptable one. */
  public static URI uri(String url) {
    if (url.isEmpty() || url.length() > MAX_URL) {
      throw new IllegalArgumentException("a notification URL has 1 to " + MAX_URL + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the notification URL is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("a notification URL starts with http:// or https://");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("a notification URL names a host, with no user info and no fragment");
    }
    return uri;
  }
}
