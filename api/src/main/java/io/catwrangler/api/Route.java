package io.catwrangler.api;

import java.util.List;
import java.util.Optional;

/**
 * Every route of the API, with the method and path template it answers. The template is also the route's name in
 * metrics and logs, so an id never multiplies the label values.
 */
public enum Route {
  SUBMIT_IMAGE("POST", "/images"),
  GET_IMAGE("GET", "/images/{id}"),
  GET_IMAGE_EVENTS("GET", "/images/{id}/events"),
  GET_IMAGE_CONTENT("GET", "/images/{id}/content"),
  LABEL_IMAGE("POST", "/images/{id}/labels"),
  GET_QUALITY("GET", "/quality"),
  GET_BATCH("GET", "/batches/{id}"),
  GET_BATCH_RESULTS("GET", "/batches/{id}/results"),
  REPLAY("POST", "/admin/replay"),
  LIST_DEAD_LETTERS("GET", "/admin/dead-letters"),
  RETRY_DEAD_LETTER("POST", "/admin/dead-letters/{id}/retry"),
  RETRY_ALL_DEAD_LETTERS("POST", "/admin/dead-letters/retry"),
  LIST_NOTIFICATION_DEAD_LETTERS("GET", "/admin/notifications/dead-letters"),
  RETRY_NOTIFICATION_DEAD_LETTER("POST", "/admin/notifications/dead-letters/{id}/retry"),
  RETRY_ALL_NOTIFICATION_DEAD_LETTERS("POST", "/admin/notifications/dead-letters/retry"),
  HEALTH("GET", "/healthz"),
  OPENAPI("GET", "/openapi.json");

  private final String method;
  private final String template;
  private final String[] segments;

  Route(String method, String template) {
    this.method = method;
    this.template = template;
    this.segments = template.substring(1).split("/");
  }

  public String method() {
    return method;
  }

  public String template() {
    return template;
  }

  /** "GET /images/{id}": the label for metrics and logs. */
  public String label() {
    return method + " " + template;
  }

  /** The {@code {id}} segment of a matching path, if this template has one. */
  Optional<String> id(List<String> pathSegments) {
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].equals("{id}")) {
        return Optional.of(pathSegments.get(i));
      }
    }
    return Optional.empty();
  }

  /** True when the path has this route's shape, whatever the method. */
  boolean matchesPath(List<String> pathSegments) {
    if (pathSegments.size() != segments.length) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      String p = pathSegments.get(i);
      if (s.equals("{id}") ? p.isEmpty() : !s.equals(p)) {
        return false;
      }
    }
    return true;
  }

  /** The path split at "/", without the leading empty segment; a trailing "/" gives an empty last segment. */
  static List<String> segmentsOf(String path) {
    return List.of(path.substring(1).split("/", -1));
  }
}
