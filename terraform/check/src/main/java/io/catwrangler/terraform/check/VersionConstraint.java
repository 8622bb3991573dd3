package io.catwrangler.terraform.check;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Terraform's version constraint syntax ({@code ~> 6.29}, {@code >= 6.29, < 7.0}, {@code 6.66.0}, {@code != 6.1.0}):
 * whether a constraint admits a release version. Pre-release versions are not handled.
 */
public final class VersionConstraint {
  private static final Pattern PART =
      Pattern.compile("\\s*(=|!=|>=|<=|>|<|~>)?\\s*v?(\\d+(?:\\.\\d+){0,2})\\s*");

  private VersionConstraint() {}

  /** Whether {@code version} (three numbers) meets every comma-separated part of {@code constraint}. */
  public static boolean admits(String constraint, String version) {
    int[] v = numbers(version, 3);
    for (String part : constraint.split(",")) {
      Matcher m = PART.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a version constraint: \"" + constraint + "\"");
      }
      String op = m.group(1) == null ? "=" : m.group(1);
      String[] given = m.group(2).split("\\.");
      int[] c = numbers(m.group(2), 3);
      int cmp = Arrays.compare(v, c);
      boolean ok = switch (op) {
        case "=" -> cmp == 0;
        case "!=" -> cmp != 0;
        case ">" -> cmp > 0;
        case ">=" -> cmp >= 0;
        case "<" -> cmp < 0;
        case "<=" -> cmp <= 0;
        // only the right-most given part may grow: ~> 6.29 is >= 6.29.0, < 7.0.0; ~> 6.29.1 is < 6.30.0; ~> 6 is < 7
        default -> cmp >= 0 && Arrays.compare(v, upperBound(c, Math.max(1, given.length - 1))) < 0;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static int[] upperBound(int[] c, int kept) {
    int[] bound = new int[3];
    System.arraycopy(c, 0, bound, 0, kept);
    bound[kept - 1]++;
    return bound;
  }

  private static int[] numbers(String version, int size) {
    String[] parts = version.split("\\.");
    if (parts.length > size) {
      throw new IllegalArgumentException("not a version: " + version);
    }
    int[] n = new int[size];
    for (int k = 0; k < parts.length; k++) {
      n[k] = Integer.parseInt(parts[k]);
    }
    return n;
  }
}
