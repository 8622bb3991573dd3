package io.catwrangler.detector.centernet;

import java.util.List;

/** The 80 COCO object classes in the order of CenterNet's heat-map channels. */
public final class CocoLabels {

  public static final int COUNT = 80;
  public static final int CAT = 15;
  public static final int DOG = 16;

  private static final List<String> NAMES = List.of(
      "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
      "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
      "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
      "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
      "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
      "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
      "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
      "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear",
      "hair drier", "toothbrush");

  private CocoLabels() {}

  /** The label of a class id, e.g. {@code name(15)} is "cat". */
  public static String name(int classId) {
    if (classId < 0 || classId >= COUNT) {
      throw new IllegalArgumentException("COCO class id must be 0–" + (COUNT - 1) + ", was " + classId);
    }
    return NAMES.get(classId);
  }
}
