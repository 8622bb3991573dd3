package io.catwrangler.aws.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** What a built Lambda deployment zip carries: its native libraries, in the zip and in the jars of its lib/. */
public final class DeploymentZip {
  private DeploymentZip() {}

  /** Every native library ({@code .so}, {@code .dylib}, {@code .dll}, {@code .jnilib}), keyed {@code jar!path}. */
  public static Map<String, byte[]> natives(Path zip) throws IOException {
    Map<String, byte[]> found = new TreeMap<>();
    try (InputStream in = Files.newInputStream(zip)) {
      collect("", in, found);
    }
    return found;
  }

  private static void collect(String outer, InputStream archive, Map<String, byte[]> found) throws IOException {
    ZipInputStream zip = new ZipInputStream(archive);
    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
      String name = e.getName();
      if (name.endsWith(".jar") && outer.isEmpty()) {
        collect(name + "!", new ByteArrayInputStream(zip.readAllBytes()), found);
      } else if (name.endsWith(".so") || name.contains(".so.") || name.endsWith(".dylib") || name.endsWith(".dll")
          || name.endsWith(".jnilib")) {
        found.put(outer + name, zip.readAllBytes());
      }
    }
  }
}
