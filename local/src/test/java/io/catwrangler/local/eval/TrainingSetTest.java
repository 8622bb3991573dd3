package io.catwrangler.local.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetTest {
  @TempDir Path dir;

  private void touch(String relative) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {1});
  }

  @Test
  void readsLabelsSourcesAndGroupsFromTheManifest() throws IOException {
    Files.createDirectories(dir.resolve("cat"));
    Files.createDirectories(dir.resolve("not_cat"));
    StringBuilder manifest = new StringBuilder("file,label,category,source_repo,source_path,licence\n");
    // three photos of one cat, in a small folder: one group
    for (int i = 0; i < 3; i++) {
      touch("cat/m" + i + ".jpg");
      manifest.append("cat/m").append(i).append(".jpg,cat,cat,home/cats,photos/marika/").append(i)
          .append(".jpg,\"unknown, no licence\"\n");
    }
    // a big folder of many animals: every photo its own group
    for (int i = 0; i < 13; i++) {
      touch("not_cat/d" + i + ".jpg");
      manifest.append("not_cat/d").append(i).append(".jpg,not_cat,dog,kaggle/pets,data/dogs/dog.").append(i)
          .append(".jpg,\"CC BY-SA 4.0 (\"\"pets\"\")\"\n");
    }
    Files.writeString(dir.resolve("manifest.csv"), manifest);

    List<SourcedImage> images = TrainingSet.read(dir);
    assertThat(images).hasSize(16);
    assertThat(images.get(0).isCat()).isTrue();
    assertThat(images.get(0).source()).isEqualTo("home/cats");
    assertThat(images.get(15).isCat()).isFalse();
    Map<String, Long> groupSizes = images.stream().collect(Collectors.groupingBy(SourcedImage::group, Collectors.counting()));
    assertThat(groupSizes).hasSize(1 + 13);
    assertThat(groupSizes.get(images.get(0).group())).isEqualTo(3);
  }

  @Test
  void quotedFieldsMayHoldCommasAndQuotes() {
    assertThat(TrainingSet.Csv.fields("a,\"b, c\",\"say \"\"hi\"\"\",")).containsExactly("a", "b, c", "say \"hi\"", "");
  }

  @Test
  void aManifestNamingMissingFilesIsRefused() throws IOException {
    Files.createDirectories(dir.resolve("cat"));
    Files.createDirectories(dir.resolve("not_cat"));
    Files.writeString(dir.resolve("manifest.csv"), "file,label,source_repo,source_path\ncat/x.jpg,cat,a,b/x.jpg\n");
    assertThatThrownBy(() -> TrainingSet.read(dir)).hasMessageContaining("cat/x.jpg");
  }

  @Test
  void withoutAManifestEveryPhotoStandsAlone() throws IOException {
    touch("cat/a.jpg");
    touch("not_cat/b.png");
    List<SourcedImage> images = TrainingSet.read(dir);
    assertThat(images).extracting(SourcedImage::source).containsOnly("all");
    assertThat(images).extracting(SourcedImage::group).doesNotHaveDuplicates();
  }
}
