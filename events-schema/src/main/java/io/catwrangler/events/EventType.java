package io.catwrangler.events;

import java.util.Arrays;
import java.util.Optional;

/** The closed set of event types, with the name written in the {@code type} field. */
public enum EventType {
  IMAGE_RECEIVED("ImageReceived"),
  CLASSIFICATION_SUCCEEDED("ClassificationSucceeded"),
  CLASSIFICATION_FAILED("ClassificationFailed"),
  LABEL_RECORDED("LabelRecorded");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<EventType> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }
}
