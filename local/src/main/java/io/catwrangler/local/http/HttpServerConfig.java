package io.catwrangler.local.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * How the embedded server listens, validated once at start.
 *
 * @param bindAddress the address to listen on; 127.0.0.1 unless the operator asks for another
 * @param port 0 for any free port (tests)
 * @param token the bearer token callers must present; required when {@code bindAddress} is not a loopback address
 *     (a server reachable from other machines must not accept uploads from anyone), optional otherwise
 * @param accessLog one line per request on the {@code io.catwrangler.access} logger
 */
public record HttpServerConfig(String bindAddress, int port, Optional<String> token, boolean accessLog) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** Short tokens are guessable; 16 characters is the least a generated secret has. */
  public static final int MIN_TOKEN_LENGTH = 16;

  public HttpServerConfig {
    Objects.requireNonNull(bindAddress, "bind address");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
    token = Objects.requireNonNull(token, "token (use Optional.empty())").filter(t -> !t.isEmpty());
    token.ifPresent(t -> {
      if (t.length() < MIN_TOKEN_LENGTH || !t.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
        throw new IllegalArgumentException(
            "a token is at least " + MIN_TOKEN_LENGTH + " printable ASCII characters without spaces");
      }
    });
    if (token.isEmpty() && !isLoopback(bindAddress)) {
      throw new IllegalArgumentException(
          "binding to " + bindAddress + " makes the server reachable from other machines: give a token (--token or"
              + " the CATWRANGLER_TOKEN environment variable)");
    }
  }

  public static HttpServerConfig loopback(int port) {
    return new HttpServerConfig(DEFAULT_BIND, port, Optional.empty(), true);
  }

  public HttpServerConfig withAccessLog(boolean on) {
    return new HttpServerConfig(bindAddress, port, token, on);
  }

  static boolean isLoopback(String address) {
    if (address.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // a literal address only: resolving a name could go to the network
      if (!address.matches("[0-9.]+|\\[?[0-9A-Fa-f:.]+]?")) {
        return false;
      }
      return InetAddress.getByName(address.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
