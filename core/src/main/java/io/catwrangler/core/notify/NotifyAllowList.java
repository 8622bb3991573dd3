package io.catwrangler.core.notify;

import io.catwrangler.events.NotifyTarget;
import java.net.IDN;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The destinations the operator lets notifications go to ({@code serve --notify-allow host[:port],...}): nothing in
 * a request can make the server call any other address. An entry without a port allows the scheme's default port
 * only (80 for http, 443 for https); a host matches exactly (case aside), never as a suffix, and an IP address only
 * as written. Checked when a URL is registered and again before every delivery, so an entry taken out of the list
 * stops deliveries to it at the next start.
 */
public final class NotifyAllowList {
  /** Nothing allowed: a request naming a URL is refused. */
  public static final NotifyAllowList NONE = new NotifyAllowList(List.of());

  private record Entry(String host, int port) {}

  private final List<Entry> entries;

  private NotifyAllowList(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses {@code host[:port],...} (blank: {@link #NONE}); an IPv6 address in brackets.
   *
   * @throws IllegalArgumentException an entry that is not a host name or address with an optional port
   */
  public static NotifyAllowList parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    Set<Entry> entries = new LinkedHashSet<>();
    for (String raw : spec.split(",")) {
      String item = raw.strip();
      if (item.isEmpty()) {
        continue;
      }
      URI uri;
      try {
        uri = URI.create("http://" + item);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--notify-allow: not host[:port]: " + item);
      }
      if (uri.getHost() == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
          || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("--notify-allow: not host[:port]: " + item);
      }
      entries.add(new Entry(normalHost(uri.getHost()), uri.getPort()));
    }
    return new NotifyAllowList(List.copyOf(entries));
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** True when the URL is a valid notification URL whose host and port are on the list. */
  public boolean allows(String url) {
    URI uri;
    try {
      uri = NotifyTarget.uri(url);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String host = normalHost(uri.getHost());
    int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
    for (Entry entry : entries) {
      boolean portMatches = entry.port() < 0 ? port == defaultPort(uri.getScheme()) : port == entry.port();
      if (entry.host().equals(host) && portMatches) {
        return true;
      }
    }
    return false;
  }

  /**
   * The target a request asked for, checked.
   *
   * @throws IllegalArgumentException with a message for the caller: not a valid URL, or not on the list
   */
  public NotifyTarget target(String url, boolean eachImage) {
    NotifyTarget target = new NotifyTarget(url, eachImage);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("this server sends no notifications to URLs named in requests (its operator"
          + " has allowed none)");
    }
    if (!allows(url)) {
      throw new IllegalArgumentException("the host and port are not on this server's notification allow-list");
    }
    return target;
  }

  @Override
  public String toString() {
    return entries.stream()
        .map(e -> (e.host().contains(":") ? "[" + e.host() + "]" : e.host()) + (e.port() < 0 ? "" : ":" + e.port()))
        .reduce((a, b) -> a + "," + b).orElse("");
  }

  private static String normalHost(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return IDN.toASCII(bare, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
  }

  private static int defaultPort(String scheme) {
    return scheme.equalsIgnoreCase("https") ? 443 : 80;
  }
}
