package io.catwrangler.classify.natives;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The symbol versions a shared object needs from each library it links ({@code .gnu.version_r}, the
 * {@code SHT_GNU_verneed} section; what {@code readelf -V} prints under "Version needs"), read from the bytes of a
 * 64-bit little-endian ELF file: {@code libc.so.6 → [GLIBC_2.2.5, …, GLIBC_2.27]}. The dynamic loader refuses the
 * library when one of these versions is missing from the system's libc, before any code runs.
 */
record ElfVersionNeeds(Map<String, Set<String>> byLibrary) {
  private static final int SHT_GNU_VERNEED = 0x6ffffffe;

  static ElfVersionNeeds read(byte[] elf) {
    ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    if (elf.length < 64 || b.getInt(0) != 0x464c457f) {
      throw new IllegalArgumentException("not an ELF file");
    }
    if (elf[4] != 2 || elf[5] != 1) {
      throw new IllegalArgumentException("only 64-bit little-endian ELF is read (class " + elf[4] + ", data " + elf[5] + ")");
    }
    long sectionHeaders = b.getLong(0x28);
    int headerSize = Short.toUnsignedInt(b.getShort(0x3A));
    int sections = Short.toUnsignedInt(b.getShort(0x3C));
    Map<String, Set<String>> needs = new TreeMap<>();
    for (int i = 0; i < sections; i++) {
      int header = Math.toIntExact(sectionHeaders + (long) i * headerSize);
      if (b.getInt(header + 4) != SHT_GNU_VERNEED) {
        continue;
      }
      int offset = Math.toIntExact(b.getLong(header + 0x18));
      int entries = b.getInt(header + 0x2C); // sh_info: number of Verneed entries
      int strings = Math.toIntExact(sectionHeaders + (long) b.getInt(header + 0x28) * headerSize); // sh_link
      int stringTable = Math.toIntExact(b.getLong(strings + 0x18));
      int verneed = offset;
      for (int n = 0; n < entries; n++) {
        int count = Short.toUnsignedInt(b.getShort(verneed + 2));
        String library = string(elf, stringTable + b.getInt(verneed + 4));
        Set<String> versions = needs.computeIfAbsent(library, l -> new TreeSet<>());
        int aux = verneed + b.getInt(verneed + 8);
        for (int a = 0; a < count; a++) {
          versions.add(string(elf, stringTable + b.getInt(aux + 8)));
          aux += b.getInt(aux + 12);
        }
        verneed += b.getInt(verneed + 12);
      }
    }
    return new ElfVersionNeeds(needs);
  }

  /** The highest {@code PREFIX_x.y.z} version needed from any library, e.g. {@code GLIBC_} → 2.27. */
  Version highest(String prefix) {
    return byLibrary.values().stream()
        .flatMap(Set::stream)
        .filter(v -> v.startsWith(prefix))
        .map(v -> Version.parse(v.substring(prefix.length())))
        .max(Version::compareTo)
        .orElse(Version.parse("0"));
  }

  private static String string(byte[] elf, int at) {
    int end = at;
    while (elf[end] != 0) {
      end++;
    }
    return new String(elf, at, end - at, StandardCharsets.US_ASCII);
  }

  /** A dotted version, compared part by part as numbers (2.27 > 2.4). */
  record Version(int[] parts) implements Comparable<Version> {
    static Version parse(String dotted) {
      String[] split = dotted.split("\\.");
      int[] parts = new int[split.length];
      for (int i = 0; i < split.length; i++) {
        parts[i] = Integer.parseInt(split[i]);
      }
      return new Version(parts);
    }

    @Override
    public int compareTo(Version other) {
      for (int i = 0; i < Math.max(parts.length, other.parts.length); i++) {
        int c = Integer.compare(i < parts.length ? parts[i] : 0, i < other.parts.length ? other.parts[i] : 0);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(parts);
    }

    @Override
    public String toString() {
      return java.util.Arrays.stream(parts).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining("."));
    }
  }
}
