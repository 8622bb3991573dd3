package io.catwrangler.local.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook body: header {@value #HEADER}: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">}, keyed with the operator's secret. The timestamp is signed too, so a receiver that refuses old
 * timestamps cannot be replayed an old body. The recipe is in docs/api.md; {@link #verify} is it in Java.
 */
public final class WebhookSignature {
  public static final String HEADER = "Catwrangler-Signature";

  private WebhookSignature() {}

  /** The header value for {@code body} sent at {@code at}. */
  public static String sign(byte[] secret, Instant at, byte[] body) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t, body));
  }

  /**
   * True when the header signs {@code body} with {@code secret} and its timestamp is within {@code tolerance} of
   * {@code now}: what a receiver checks. Compares in constant time.
   */
  public static boolean verify(byte[] secret, String header, byte[] body, Instant now, Duration tolerance) {
    long t = -1;
    byte[] given = null;
    for (String part : header.split(",")) {
      String[] kv = part.strip().split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      try {
        if (kv[0].equals("t")) {
          t = Long.parseLong(kv[1]);
        } else if (kv[0].equals("v1")) {
          given = HexFormat.of().parseHex(kv[1]);
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (t < 0 || given == null || Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
      return false;
    }
    return MessageDigest.isEqual(hmac(secret, t, body), given);
  }

  private static byte[] hmac(byte[] secret, long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
