package io.catwrangler.core.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** testdata/ is what a clone carries: every photo listed, checksummed, labelled by its folder and redistributable. */
class TestDataManifestTest {
  /** Licences that allow copying a photo into the repository (never non-commercial-only, research-only or unknown). */
  private static final Pattern REDISTRIBUTABLE = Pattern.compile(
      "^(CC0|Public domain|CC BY(-SA)? \\d\\.\\d|Apache-2\\.0|MIT|BSD|GPL-3\\.0\\+ or MIT"
          + "|COCO image, Flickr licence: CC BY(-SA)? \\d\\.\\d)[ ;(].*");
  private static final List<String> COLUMNS = List.of("file", "label", "category", "source_repo", "source_path",
      "source_commit", "licence", "sha256");

  @Test
  void everyPhotoIsListedOnceWithItsChecksumLabelAndARedistributableLicence() throws Exception {
    List<String> lines = Files.readAllLines(TestData.photos().resolve("manifest.csv"));
    assertThat(lines.get(0)).isEqualTo(String.join(",", COLUMNS));
    List<String> listed = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> row = row(line);
      assertThat(row).as(line).hasSize(COLUMNS.size());
      String file = row.get(0);
      listed.add(file);
      assertThat(file).as("label is the folder").startsWith(row.get(1) + "/");
      assertThat(row.get(1)).isIn("cat", "not_cat");
      assertThat(row.get(6)).as("licence of %s", file).matches(REDISTRIBUTABLE);
      assertThat(row.get(6)).as("licence of %s", file).doesNotContain("NC", "unknown", "research");
      assertThat(row.get(3)).as("source of %s", file).isNotBlank();
      assertThat(sha256(TestData.photo(file))).as("sha256 of %s", file).isEqualTo(row.get(7));
    }
    List<String> onDisk = TestData.allPhotos().stream()
        .map(p -> TestData.photos().relativize(p).toString().replace('\\', '/'))
        .toList();
    assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(onDisk);
    assertThat(listed.stream().filter(f -> f.startsWith("cat/"))).as("cats").hasSizeGreaterThanOrEqualTo(20);
    assertThat(listed.stream().filter(f -> f.startsWith("not_cat/"))).as("others").hasSizeGreaterThanOrEqualTo(20);
    assertThat(listed).as("PNG among them").anyMatch(f -> f.endsWith(".png"));
  }

  @Test
  void theWholeFolderStaysSmall() throws IOException {
    long bytes;
    try (Stream<Path> files = Files.walk(TestData.dir())) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(bytes).as("testdata/ in bytes (a few MB: larger sets are arguments of the tools)")
        .isLessThan(8L * 1024 * 1024);
  }

  @Test
  void everyGoldenCaseHasItsThreeFiles() throws IOException {
    List<String> names;
    try (Stream<Path> files = Files.list(TestData.centerNetGolden())) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> cases = names.stream().filter(n -> n.endsWith(".letterbox512.png"))
        .map(n -> n.substring(0, n.indexOf('.'))).toList();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(4);
    for (String c : cases) {
      assertThat(names).contains(c + ".cat_heat128.f32", c + ".detections.txt");
      assertThat(TestData.centerNetGolden().resolve(c + ".cat_heat128.f32")).hasSize(128 * 128 * 4);
    }
  }

  /**
   * One manifest row. Only the licence may hold commas (then it is quoted), so the six columns before it are split
   * at commas and the sha256 is after the last one.
   */
  static List<String> row(String line) {
    String[] first = line.split(",", 7);
    if (first.length < 7 || first[6].lastIndexOf(',') < 0) {
      return List.of(first);
    }
    String rest = first[6];
    String licence = rest.substring(0, rest.lastIndexOf(','));
    if (licence.length() >= 2 && licence.startsWith("\"") && licence.endsWith("\"")) {
      licence = licence.substring(1, licence.length() - 1).replace("\"\"", "\"");
    }
    List<String> cells = new ArrayList<>(List.of(first).subList(0, 6));
    cells.add(licence);
    cells.add(rest.substring(rest.lastIndexOf(',') + 1));
    return cells;
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
