package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.terraform.check.HclSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HclSyntax} agrees with HashiCorp's parser on where every argument and block is. */
class HclSyntaxTest {

  @Test
  void everyRealFileIsLaidOutAsTheParserSaysWithNothingLeftOver() {
    int files = 0;
    for (Map.Entry<String, JsonNode> file : Hcl.terraform().path("files").properties()) {
      HclSyntax syntax = ProviderAws.syntax(Hcl.terraformDir().resolve(file.getKey()));
      assertThat(unaccounted(file.getValue(), syntax)).as(file.getKey()).isEmpty();
      assertThat(syntax.arguments()).as(file.getKey()).isNotEmpty();
      files++;
    }
    assertThat(files).isGreaterThan(20);
  }

  @Test
  void tellsArgumentsFromBlocksWhereTheJsonCannot(@TempDir Path dir) throws IOException {
    String source = """
        # a comment { with braces
        resource "aws_x" "a" {
          listed = [{ a = 1 }]   // an argument holding a list of objects
          block {
            a = 1
          }
          block { a = 2 }
          one_line { b = "}" }
          text = "{ not a block = ${jsonencode({ a = "}" })} $${literal} %{ if true }x%{ endif }"
          policy = <<-EOT
            {
              "fake" = {
            }
            EOT
          after = 1
          /* a { b = 1 } */
          multi = merge(
            { a = 1 },
            { b = 2 }
          )
          dynamic "block" {
            for_each = [1]
            content {
              a = 3
            }
          }
        }
        data "aws_y" "b" {}
        """;
    Files.writeString(dir.resolve("a.tf"), source, StandardCharsets.UTF_8);
    JsonNode json = Hcl.parse(dir).path("files").path("a.tf");
    HclSyntax syntax = HclSyntax.of(source);

    assertThat(unaccounted(json, syntax)).isEmpty();
    String a = "/resource/aws_x/a/0";
    // hcl2json writes both as a list of objects
    assertThat(json.at(a + "/listed").toString()).isEqualTo("[" + json.at(a + "/block/0") + "]")
        .isEqualTo("[{\"a\":1}]");
    assertThat(syntax.isArgument(a + "/listed")).isTrue();
    assertThat(syntax.isArgument(a + "/block")).isFalse();
    assertThat(syntax.blocks()).containsOnlyKeys(a, a + "/block/0", a + "/block/1", a + "/one_line/0",
        a + "/dynamic/block/0", a + "/dynamic/block/0/content/0", "/data/aws_y/b/0");
    assertThat(syntax.arguments()).containsOnlyKeys(a + "/listed", a + "/block/0/a", a + "/block/1/a",
        a + "/one_line/0/b", a + "/text", a + "/policy", a + "/after", a + "/multi", a + "/dynamic/block/0/for_each",
        a + "/dynamic/block/0/content/0/a");
    assertThat(syntax.line(a + "/block")).isEqualTo(4);
    assertThat(syntax.line(a + "/block/1/a")).isEqualTo(7);
    assertThat(syntax.line(a + "/after")).isEqualTo(15);
    assertThat(syntax.line(a + "/multi/0")).isEqualTo(17);
    assertThat(syntax.line("/data/aws_y/b/0")).isEqualTo(28);
  }

  /** Fields of the file's bodies that the syntax has neither as an argument nor as a block. */
  private static List<String> unaccounted(JsonNode file, HclSyntax syntax) {
    List<String> bodies = new ArrayList<>(List.of(""));
    bodies.addAll(syntax.blocks().keySet());
    List<String> left = new ArrayList<>();
    for (String body : bodies) {
      JsonNode object = body.isEmpty() ? file : file.at(body);
      assertThat(object.isObject()).as("block " + body).isTrue();
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        String at = body + "/" + HclSyntax.segment(field.getKey());
        boolean known = syntax.isArgument(at)
            || syntax.blocks().keySet().stream().anyMatch(b -> b.startsWith(at + "/"));
        if (!known) {
          left.add(at);
        }
      }
    }
    syntax.arguments().keySet().forEach(at -> assertThat(file.at(at).isMissingNode()).as("argument " + at).isFalse());
    return left;
  }
}
