package io.catwrangler.terraform.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How each name in a Terraform file's bodies is written: as an argument ({@code name = value}) or as a block
 * ({@code name "label" { … }}), with its line. HCL-to-JSON conversion cannot tell {@code x = [{ a = 1 }]} from
 * {@code x { a = 1 }}, and Terraform can: a block written as an argument is an error.
 *
 * <p>Both are keyed by JSON pointer into the file as {@code hcl2json} lays it out: a block is
 * {@code /type/label…/n}, its n-th occurrence with that type and those labels in its body, an argument
 * {@code <its body's pointer>/name}. Only the structure is scanned (strings, heredocs, comments, brackets skipped):
 * the file must already have passed HashiCorp's parser.
 *
 * @param arguments pointer → line of every {@code name = value}
 * @param blocks    pointer → line of every block
 */
public record HclSyntax(Map<String, Integer> arguments, Map<String, Integer> blocks) {

  public HclSyntax {
    arguments = Map.copyOf(arguments);
    blocks = Map.copyOf(blocks);
  }

  /** Scans one file's source. */
  public static HclSyntax of(String source) {
    Scanner scanner = new Scanner(source);
    scanner.body("", false);
    return new HclSyntax(scanner.arguments, scanner.blocks);
  }

  public boolean isArgument(String pointer) {
    return arguments.containsKey(pointer);
  }

  /**
   * The line of the argument or block at {@code pointer} ({@code …/name} for blocks is their first), or of the
   * nearest one around it; 0 when none.
   */
  public int line(String pointer) {
    for (String p = pointer; !p.isEmpty(); p = p.substring(0, p.lastIndexOf('/'))) {
      Integer line = arguments.containsKey(p) ? arguments.get(p) : blocks.getOrDefault(p, blocks.get(p + "/0"));
      if (line != null) {
        return line;
      }
    }
    return 0;
  }

  /** One path segment of a JSON pointer (RFC 6901). */
  public static String segment(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static final class Scanner {
    private final String s;
    private final int[] lineStarts;
    private final Map<String, Integer> arguments = new HashMap<>();
    private final Map<String, Integer> blocks = new HashMap<>();
    private int i;

    Scanner(String source) {
      this.s = source;
      List<Integer> starts = new ArrayList<>(List.of(0));
      for (int k = 0; k < source.length(); k++) {
        if (source.charAt(k) == '\n') {
          starts.add(k + 1);
        }
      }
      this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A body's items up to its closing brace (consumed), or the end of the file at the top. */
    void body(String pointer, boolean nested) {
      Map<String, Integer> occurrences = new HashMap<>();
      while (true) {
        skipBlank(true);
        if (i >= s.length()) {
          if (nested) {
            throw error("unclosed block");
          }
          return;
        }
        if (s.charAt(i) == '}') {
          if (!nested) {
            throw error("unexpected }");
          }
          i++;
          return;
        }
        int start = i;
        String name = identifier();
        skipBlank(false);
        if (peek() == '=') {
          i++;
          arguments.put(pointer + "/" + segment(name), lineOf(start));
          expression();
          continue;
        }
        StringBuilder block = new StringBuilder(pointer).append('/').append(segment(name));
        while (peek() != '{') {
          block.append('/').append(segment(peek() == '"' ? label() : identifier()));
          skipBlank(false);
        }
        i++;
        String key = block.toString();
        int n = occurrences.merge(key, 1, Integer::sum) - 1;
        String blockPointer = key + "/" + n;
        blocks.put(blockPointer, lineOf(start));
        body(blockPointer, true);
      }
    }

    /**
     * An argument's value: up to the end of its line outside brackets, or up to the brace that closes a one-line
     * block ({@code name { a = 1 }}), left for the body.
     */
    private void expression() {
      int depth = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '\n' && depth == 0) {
          return;
        }
        if (skipNonCode()) {
          continue;
        }
        if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if (c == ')' || c == ']' || c == '}') {
          if (depth == 0) {
            return;
          }
          depth--;
        }
        i++;
      }
    }

    /** Skips a string, heredoc or comment at i (true), or does nothing (false). Comments stop before the newline. */
    private boolean skipNonCode() {
      if (s.charAt(i) == '"') {
        string();
      } else if (s.startsWith("<<", i)) {
        heredoc();
      } else if (s.charAt(i) == '#' || s.startsWith("//", i)) {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        if (end < 0) {
          throw error("unclosed comment");
        }
        i = end + 2;
      } else {
        return false;
      }
      return true;
    }

    /** A quoted template: escapes, and {@code ${…}}/{@code %{…}} whose expressions may hold strings and braces. */
    private void string() {
      int start = i++;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '\\') {
          i += 2;
        } else if (c == '"') {
          i++;
          return;
        } else if (s.startsWith("$${", i) || s.startsWith("%%{", i)) {
          i += 3;
        } else if (s.startsWith("${", i) || s.startsWith("%{", i)) {
          i += 2;
          interpolation();
        } else {
          i++;
        }
      }
      i = start;
      throw error("unclosed string");
    }

    /** The inside of {@code ${…}}, up to and including its closing brace. */
    private void interpolation() {
      int depth = 0;
      while (i < s.length()) {
        if (skipNonCode()) {
          continue;
        }
        char c = s.charAt(i++);
        if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if (c == ')' || c == ']' || c == '}') {
          if (depth == 0 && c == '}') {
            return;
          }
          depth--;
        }
      }
      throw error("unclosed interpolation");
    }

    /** {@code <<EOT} or {@code <<-EOT} up to the line that holds only the marker; i is left at that line's end. */
    private void heredoc() {
      int start = i;
      i += 2;
      if (peek() == '-') {
        i++;
      }
      String marker = identifier();
      int lineEnd = s.indexOf('\n', i);
      while (lineEnd >= 0) {
        int next = s.indexOf('\n', lineEnd + 1);
        int end = next < 0 ? s.length() : next;
        if (s.substring(lineEnd + 1, end).strip().equals(marker)) {
          i = end;
          return;
        }
        lineEnd = next;
      }
      i = start;
      throw error("unclosed heredoc " + marker);
    }

    private String label() {
      StringBuilder label = new StringBuilder();
      i++;
      while (i < s.length() && s.charAt(i) != '"') {
        if (s.charAt(i) == '\\') {
          i++;
        }
        label.append(s.charAt(i++));
      }
      i++;
      return label.toString();
    }

    private String identifier() {
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) {
        i++;
      }
      if (i == start) {
        throw error("expected a name, found '" + peek() + "'");
      }
      return s.substring(start, i);
    }

    /** Spaces and comments; newlines too when {@code newlines}. */
    private void skipBlank(boolean newlines) {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
          i++;
        } else if (!(c == '#' || s.startsWith("//", i) || s.startsWith("/*", i)) || !skipNonCode()) {
          return;
        }
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw error("unexpected end of file");
      }
      return s.charAt(i);
    }

    private int lineOf(int offset) {
      int k = Arrays.binarySearch(lineStarts, offset);
      return (k >= 0 ? k : -k - 2) + 1;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("line " + lineOf(Math.min(i, s.length())) + ": " + what);
    }
  }
}
