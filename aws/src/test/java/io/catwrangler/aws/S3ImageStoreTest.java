package io.catwrangler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.aws.testing.RecordedOperations;
import io.catwrangler.aws.testing.S3ProxyServer;
import io.catwrangler.core.image.ImageTooLargeException;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.StoreRejectedException;
import io.catwrangler.core.port.contract.ImageStoreContract;
import io.catwrangler.events.ImageId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The image store contract on S3Proxy, plus the arrivals under {@code incoming/}. */
class S3ImageStoreTest extends ImageStoreContract {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

  private final RecordedOperations calls = new RecordedOperations();
  private S3Client client;
  private String bucket;
  private S3ImageStore images;

  @Override
  protected ImageStore newStore() {
    client = S3.newClient(calls);
    bucket = S3.createBucket();
    images = new S3ImageStore(client, bucket);
    return images;
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private void arrive(String key, byte[] bytes) {
    S3.client().putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
  }

  private static byte[] bytes(int seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void storesImagesContentAddressedUnderImages() {
    byte[] image = bytes(1, 100);
    ImageId id = ImageId.sha256Of(image);

    assertThat(images.put(id, image)).isEqualTo("images/" + id.value());
    assertThat(S3.client().headObject(h -> h.bucket(bucket).key("images/" + id.value())).contentLength())
        .isEqualTo(100);
  }

  @Test
  void doesNotUploadAnImageThatIsThereAlready() {
    byte[] image = bytes(2, 100);
    ImageId id = ImageId.sha256Of(image);
    images.put(id, image);
    calls.clear();

    images.put(id, image);

    assertThat(calls.operations()).containsExactly("HeadObject");
  }

  @Test
  void s3RefusesBytesThatDoNotMatchTheDeclaredChecksum() {
    // what put relies on: x-amz-checksum-sha256 makes S3 check the bytes against the image id
    String wrong = Base64.getEncoder().encodeToString(new byte[32]);

    assertThatThrownBy(() -> S3.client().putObject(
            p -> p.bucket(bucket).key("images/x").checksumSHA256(wrong), RequestBody.fromBytes(bytes(3, 10))))
        .isInstanceOf(S3Exception.class);
  }

  @Test
  void s3RefusesASecondCreateOfTheSameKeyWithIfNoneMatch() {
    // what put relies on when two workers store one image at once: the second create is refused, not applied
    try {
      S3.client().putObject(p -> p.bucket(bucket).key("images/once").ifNoneMatch("*"),
          RequestBody.fromBytes(bytes(9, 10)));
    } catch (S3Exception e) {
      // on a busy machine the SDK may retry the first create after its first attempt was applied (a reused
      // connection reset after the request): that retry is refused the same way; the object is there either way
      assertThat(e.statusCode()).isEqualTo(412);
      assertThat(e.numAttempts()).as("only a retry may be refused").isGreaterThan(1);
    }
    assertThat(S3.client().getObjectAsBytes(g -> g.bucket(bucket).key("images/once")).asByteArray())
        .isEqualTo(bytes(9, 10));

    assertThatThrownBy(() -> S3.client().putObject(
            p -> p.bucket(bucket).key("images/once").ifNoneMatch("*"), RequestBody.fromBytes(bytes(9, 10))))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
  }

  @Test
  void aMissingBucketIsAPermanentStoreFailureNotAMissingImage() {
    S3ImageStore nowhere = new S3ImageStore(S3.client(), "no-such-bucket");

    assertThatThrownBy(() -> nowhere.get(ImageId.sha256Of(new byte[1])))
        .isInstanceOfSatisfying(StoreRejectedException.class, e -> assertThat(e.code()).isEqualTo("NoSuchBucket"));
  }

  @Test
  void checksTheSizeOfAnArrivalWithHeadObjectBeforeAnyDownload() {
    arrive("incoming/big.jpg", bytes(4, 2048));
    calls.clear();

    IncomingObject arrival = images.headIncoming("incoming/big.jpg").orElseThrow();

    assertThat(arrival.size()).isEqualTo(2048);
    assertThatThrownBy(() -> images.readIncoming(arrival, 1024))
        .isInstanceOfSatisfying(ImageTooLargeException.class, e -> {
          assertThat(e.size()).isEqualTo(2048);
          assertThat(e.limit()).isEqualTo(1024);
        });
    assertThat(calls.operations()).containsExactly("HeadObject");
  }

  @Test
  void readsAnArrivalWithinTheLimitAndPromotesItToItsImageKey() throws Exception {
    byte[] image = bytes(5, 3000);
    arrive("incoming/ok.jpg", image);

    IncomingObject arrival = images.headIncoming("incoming/ok.jpg").orElseThrow();
    byte[] read = images.readIncoming(arrival, 3000);
    ImageId id = ImageId.sha256Of(read);
    String key = images.promote(arrival, id);

    assertThat(read).isEqualTo(image);
    assertThat(key).isEqualTo("images/" + id.value());
    assertThat(images.get(id)).hasValueSatisfying(stored -> assertThat(stored).isEqualTo(image));
    images.deleteIncoming("incoming/ok.jpg");
    assertThat(images.headIncoming("incoming/ok.jpg")).isEmpty();
  }

  @Test
  void findsAnArrivalByTheUrlEncodedKeyOfItsS3Event() throws Exception {
    byte[] image = bytes(6, 10);
    arrive("incoming/batch 7/my cat (1)+ünïcode.jpg", image);
    String eventKey = "incoming/batch+7/my+cat+%281%29%2B%C3%BCn%C3%AFcode.jpg";

    IncomingObject arrival = images.headIncoming(S3Keys.decode(eventKey)).orElseThrow();

    assertThat(images.readIncoming(arrival, 100)).isEqualTo(image);
  }

  @Test
  void anArrivalReplacedAfterItsCheckIsNotReadAsTheCheckedOne() {
    arrive("incoming/swap.jpg", bytes(7, 10));
    IncomingObject checked = images.headIncoming("incoming/swap.jpg").orElseThrow();
    arrive("incoming/swap.jpg", bytes(8, 5000));

    assertThatThrownBy(() -> images.readIncoming(checked, 100)).isInstanceOf(StorageUnavailableException.class);
  }

  @Test
  void aMissingArrivalIsEmptyAndKeysOutsideIncomingAreRefused() {
    assertThat(images.headIncoming("incoming/gone.jpg")).isEmpty();
    assertThatThrownBy(() -> images.headIncoming("images/" + "a".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> images.headIncoming("incoming/")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingBucketRefusesAPutForGood() {
    S3ImageStore nowhere = new S3ImageStore(S3.client(), "no-such-bucket");
    byte[] image = "x".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> nowhere.put(ImageId.sha256Of(image), image))
        .isInstanceOf(StoreRejectedException.class);
  }
}
