package io.catwrangler.aws;

import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.Optional;

/**
 * A recent fold of an image's first events, for {@link DynamoDbEventStore#state} to start from instead of version
 * 0: it reads only the events after the snapshot. Any version will do (the events after it are read
 * consistently); it must be a fold of this event table's stream, so never ahead of it.
 */
@FunctionalInterface
public interface StateSnapshots {
  Optional<ImageState> snapshot(ImageId imageId);
}
