package io.catwrangler.local.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer …} against the configured token in constant time: both sides are hashed
 * first, so neither the content nor the length of the token leaks through the time a wrong guess takes.
 */
final class BearerToken {
  private static final String SCHEME = "bearer ";
  private final byte[] expectedHash;

  BearerToken(String token) {
    this.expectedHash = sha256(token);
  }

  boolean accepts(Optional<String> authorization) {
    String presented = authorization
        .filter(a -> a.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
        .map(a -> a.substring(SCHEME.length()).strip())
        .orElse("");
    // compare even when nothing was presented, so the time does not tell "no header" from "wrong token"
    return MessageDigest.isEqual(expectedHash, sha256(presented)) && !presented.isEmpty();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }
}
