package io.catwrangler.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * RFC 4122 version-5 (SHA-1, name-based) UUIDs under the project's own namespace, so the same name gives the
 * same id in every process and every language that implements the RFC.
 */
final class NameBasedUuid {
  /** The cat-wrangler namespace: a fixed random UUID, never to be changed (every stored event id depends on it). */
  static final UUID NAMESPACE = UUID.fromString("6f1b2d4e-8a3c-4e71-9b0d-2c5a7e9f1d38");

  private NameBasedUuid() {}

  static UUID of(String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-1", e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16);
    ns.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bits.getLong(), bits.getLong());
  }
}
