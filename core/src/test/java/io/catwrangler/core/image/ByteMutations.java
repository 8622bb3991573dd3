package io.catwrangler.core.image;

import java.util.Arrays;
import java.util.Random;

/** Damage done to image bytes for fuzz tests: bit flips, extreme 16-bit values, cuts, insertions, duplicates. */
public final class ByteMutations {
  private ByteMutations() {}

  /**
   * One mutation, mostly aimed at the header (the first {@code headerEnd} bytes and a few after), where the parsing
   * happens; {@code applied} gets a description of it, so a failure can be replayed.
   */
  public static byte[] mutate(byte[] bytes, int headerEnd, Random random, StringBuilder applied) {
    if (bytes.length == 0) {
      return bytes;
    }
    int target = Math.min(bytes.length, headerEnd + 8);
    int at = random.nextInt(random.nextInt(4) == 0 ? bytes.length : target);
    byte[] out = bytes.clone();
    switch (random.nextInt(8)) {
      case 0 -> {
        int bit = random.nextInt(8);
        out[at] ^= (byte) (1 << bit);
        applied.append(" flip bit ").append(bit).append(" at ").append(at);
      }
      case 1 -> {
        byte value = switch (random.nextInt(3)) {
          case 0 -> (byte) 0xFF;
          case 1 -> 0;
          default -> (byte) random.nextInt(256);
        };
        out[at] = value;
        applied.append(" set ").append(at).append(" to ").append(value & 0xFF);
      }
      case 2 -> {
        int length = random.nextInt(bytes.length + 1);
        out = TestImages.truncated(bytes, length);
        applied.append(" truncate to ").append(length);
      }
      case 3 -> {
        int count = Math.min(1 + random.nextInt(16), bytes.length - at);
        out = TestImages.concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + count, bytes.length));
        applied.append(" delete ").append(count).append(" at ").append(at);
      }
      case 4 -> {
        byte[] insert = new byte[1 + random.nextInt(16)];
        for (int i = 0; i < insert.length; i++) {
          insert[i] = random.nextBoolean() ? (byte) 0xFF : (byte) random.nextInt(256);
        }
        out = TestImages.concat(Arrays.copyOf(bytes, at), insert, Arrays.copyOfRange(bytes, at, bytes.length));
        applied.append(" insert ").append(insert.length).append(" at ").append(at);
      }
      case 5 -> {
        // segment lengths and PNG dimensions are 16/32-bit: extremes there find most bounds mistakes
        int value = new int[] {0x0000, 0x0001, 0x0002, 0x0007, 0xFFFF, 0x8000}[random.nextInt(6)];
        out[at] = (byte) (value >> 8);
        if (at + 1 < out.length) {
          out[at + 1] = (byte) value;
        }
        applied.append(" write u16 ").append(value).append(" at ").append(at);
      }
      case 6 -> {
        int count = Math.min(1 + random.nextInt(32), bytes.length - at);
        byte[] slice = Arrays.copyOfRange(bytes, at, at + count);
        out = TestImages.concat(Arrays.copyOf(bytes, at), slice, Arrays.copyOfRange(bytes, at, bytes.length));
        applied.append(" duplicate ").append(count).append(" at ").append(at);
      }
      default -> {
        for (int i = 0; i < 8; i++) {
          out[random.nextInt(target)] = (byte) random.nextInt(256);
        }
        applied.append(" scramble 8 header bytes");
      }
    }
    return out;
  }
}
