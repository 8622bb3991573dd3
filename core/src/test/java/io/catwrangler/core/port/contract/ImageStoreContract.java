package io.catwrangler.core.port.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.port.ImageStore;
import io.catwrangler.events.ImageId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ImageStore} must do. Return a fresh, empty store from {@link #newStore()}. */
public abstract class ImageStoreContract {
  protected ImageStore store;

  protected abstract ImageStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static byte[] bytes(int seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void returnsWhatWasStored() {
    byte[] image = bytes(1, 4096);
    ImageId id = ImageId.sha256Of(image);

    String key = store.put(id, image);

    assertThat(key).isNotBlank();
    assertThat(store.exists(id)).isTrue();
    assertThat(store.get(id)).hasValueSatisfying(stored -> assertThat(stored).isEqualTo(image));
  }

  @Test
  void anUnknownImageIsAbsent() {
    ImageId id = ImageId.sha256Of("never stored".getBytes(StandardCharsets.UTF_8));

    assertThat(store.exists(id)).isFalse();
    assertThat(store.get(id)).isEmpty();
  }

  @Test
  void storingTheSameBytesAgainChangesNothing() {
    byte[] image = bytes(2, 1000);
    ImageId id = ImageId.sha256Of(image);

    String first = store.put(id, image);
    String second = store.put(id, image.clone());

    assertThat(second).isEqualTo(first);
    assertThat(store.get(id)).hasValueSatisfying(stored -> assertThat(stored).isEqualTo(image));
  }

  @Test
  void keysAreDistinctPerImage() {
    byte[] a = bytes(3, 100);
    byte[] b = bytes(4, 100);

    assertThat(store.put(ImageId.sha256Of(a), a)).isNotEqualTo(store.put(ImageId.sha256Of(b), b));
  }

  @Test
  void refusesBytesThatAreNotTheImage() {
    byte[] image = bytes(5, 100);
    ImageId wrong = ImageId.sha256Of(bytes(6, 100));

    assertThatThrownBy(() -> store.put(wrong, image)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.exists(wrong)).isFalse();
  }

  @Test
  void keepsLargeImagesIntact() {
    byte[] image = bytes(7, 15 * 1024 * 1024);
    ImageId id = ImageId.sha256Of(image);

    store.put(id, image);

    assertThat(store.get(id)).hasValueSatisfying(stored -> assertThat(ImageId.sha256Of(stored)).isEqualTo(id));
  }

  @Test
  void concurrentPutsOfTheSameBytesAreHarmless() throws Exception {
    byte[] image = bytes(8, 256 * 1024);
    ImageId id = ImageId.sha256Of(image);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<String>> keys = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        keys.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.put(id, image.clone());
                }));
      }
      start.countDown();
      var distinct = new HashSet<String>();
      for (Future<String> key : keys) {
        distinct.add(key.get(60, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.get(id)).hasValueSatisfying(stored -> assertThat(stored).isEqualTo(image));
  }
}
