package io.catwrangler.local.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.events.ImageId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileImageStoreTest {
  @TempDir Path dataDir;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void storesUnderTwoLevelsOfFoldersNamedByTheHash() throws Exception {
    FileImageStore store = FileImageStore.in(dataDir.resolve("images"));
    byte[] image = bytes("an image");
    ImageId id = ImageId.sha256Of(image);
    String hex = id.value();

    String key = store.put(id, image);

    assertThat(key).isEqualTo("images/" + hex.substring(0, 2) + "/" + hex.substring(2, 4) + "/" + hex);
    assertThat(dataDir.resolve(key)).hasBinaryContent(image);
    try (Stream<Path> files = Files.walk(dataDir)) {
      assertThat(files.filter(Files::isRegularFile)).containsExactly(dataDir.resolve(key)); // no temporary left
    }
    assertThat(FileImageStore.in(dataDir.resolve("images")).get(id)).hasValueSatisfying(b -> assertThat(b).isEqualTo(image));
  }

  @Test
  void aFileCutShortIsReplacedByTheNextPutOfItsBytes() throws Exception {
    FileImageStore store = new FileImageStore(dataDir.resolve("images"), "images/", false);
    byte[] image = bytes("the whole image, not just its start");
    ImageId id = ImageId.sha256Of(image);
    Files.createDirectories(store.path(id).getParent());
    Files.write(store.path(id), new byte[0]); // what a power cut can leave without fsync

    store.put(id, image);

    assertThat(store.get(id)).hasValueSatisfying(b -> assertThat(b).isEqualTo(image));
  }

  @Test
  void listsImagesAndUnfinishedWritesApart() throws Exception {
    FileImageStore store = FileImageStore.in(dataDir.resolve("images"));
    ImageId id = ImageId.sha256Of(bytes("listed"));
    store.put(id, bytes("listed"));
    Files.write(store.path(id).resolveSibling(FileImageStore.TEMP_PREFIX + "1.tmp"), bytes("half"));
    Files.write(dataDir.resolve("images").resolve("README"), bytes("not an image"));

    List<FileImageStore.StoredFile> files = new ArrayList<>();
    store.forEachFile(files::add);

    assertThat(files).hasSize(3);
    assertThat(files).filteredOn(f -> f.imageId().isPresent()).singleElement()
        .satisfies(f -> assertThat(f.imageId()).contains(id));
    assertThat(files).filteredOn(FileImageStore.StoredFile::unfinishedWrite).hasSize(1);
  }

  @Test
  void concurrentPutsOfTheSameBytesAllSucceedAndLeaveOneOwnerOnlyFile() throws Exception {
    FileImageStore store = FileImageStore.in(dataDir.resolve("images"));
    byte[] image = bytes("the same bytes from eight uploads at once");
    ImageId id = ImageId.sha256Of(image);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> keys = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        keys.add(pool.submit(() -> store.put(id, image)));
      }
      for (Future<String> key : keys) {
        assertThat(key.get()).isEqualTo(store.key(id));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.get(id)).hasValueSatisfying(b -> assertThat(b).isEqualTo(image));
    List<FileImageStore.StoredFile> files = new ArrayList<>();
    store.forEachFile(files::add);
    assertThat(files).as("no temporary file left").singleElement()
        .satisfies(f -> assertThat(f.imageId()).contains(id));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path(id)))).isEqualTo("rw-------");
  }
}
