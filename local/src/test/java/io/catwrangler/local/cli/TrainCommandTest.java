package io.catwrangler.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.testdata.TestData;
import io.catwrangler.core.testdata.TestData;
import io.catwrangler.detector.head.LogisticHead;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code catwrangler train} on the classifier's six golden photos (both models run; a few seconds). */
class TrainCommandTest {
  @TempDir static Path temp;
  static Path data;

  /** Three cats and three other photos, given two made-up sources. */
  @BeforeAll
  static void smallTrainingFolder() throws IOException {
    data = temp.resolve("data");
    StringBuilder manifest = new StringBuilder("file,label,source_repo,source_path\n");
    List<Path> photos = List.copyOf(TestData.classifierGolden().values());
    for (int i = 0; i < photos.size(); i++) {
      String name = (i < 3 ? "cat-" : "other-") + photos.get(i).getFileName();
      String label = name.startsWith("cat-") ? "cat" : "not_cat";
      Files.createDirectories(data.resolve(label));
      String file = label + "/" + name;
      Files.copy(photos.get(i), data.resolve(file));
      manifest.append(file).append(',').append(label).append(",source-").append(i % 2).append(",many/")
          .append(name).append('\n');
    }
    Files.writeString(data.resolve("manifest.csv"), manifest);
  }

  private static String train(Path out, String... more) {
    StringWriter console = new StringWriter();
    String[] args = Stream.concat(Stream.of("train", "--data", data.toString(), "--out", out.toString()),
        Stream.of(more)).toArray(String[]::new);
    int code = Main.commandLine().setOut(new PrintWriter(console)).setErr(new PrintWriter(new StringWriter()))
        .execute(args);
    assertThat(code).as(console.toString()).isZero();
    return console.toString();
  }

  @Test
  void theSamePhotosGiveTheSameFileByteForByte() throws IOException {
    Path first = temp.resolve("first.txt");
    Path second = temp.resolve("second.txt");
    String report = train(first);
    train(second);
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));

    LogisticHead head = LogisticHead.parse(Files.readString(first));
    assertThat(head.version()).isEqualTo("imagenet-cal-v1");
    assertThat(head.features()).hasToString("[imagenet.cat]");
    assertThat(head.weights()[0]).isPositive();
    assertThat(report).contains("leave one source out", "source-0", "source-1", "group folds", "threshold",
        "CenterNet");
  }

  @Test
  void featuresAndVersionAreChosenOnTheCommandLine() throws IOException {
    Path out = temp.resolve("two.txt");
    train(out, "--features", "imagenet.cat,whole.cat", "--version", "two-inputs-v1");
    LogisticHead head = LogisticHead.parse(Files.readString(out));
    assertThat(head.version()).isEqualTo("two-inputs-v1");
    assertThat(head.viewNames()).containsExactly("imagenet", "whole");
  }
}
