package io.catwrangler.detector.imagenet;

import io.catwrangler.detector.onnx.BundledModel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The names of MobileNetV2's 1001 outputs (line 0 is "background"), from the labels file bundled with the model, and
 * the classes that mean "a domestic cat".
 */
public final class ImageNetLabels {
  /** tabby, tiger cat, Persian, Siamese, Egyptian cat: ImageNet's domestic cats (cougar and lynx are wild cats). */
  public static final List<Integer> DOMESTIC_CAT = List.of(282, 283, 284, 285, 286);

  private static final List<String> NAMES = load();

  private ImageNetLabels() {}

  public static String name(int index) {
    return NAMES.get(index);
  }

  public static int count() {
    return NAMES.size();
  }

  private static List<String> load() {
    List<String> names = new String(BundledModel.read(ImageNetModel.LABELS_FILE), StandardCharsets.UTF_8)
        .lines().toList();
    if (names.size() != ImageNetModel.CLASS_COUNT || !names.get(0).equals("background")) {
      throw new IllegalStateException("the bundled ImageNet labels do not list the model's "
          + ImageNetModel.CLASS_COUNT + " classes");
    }
    for (int c : DOMESTIC_CAT) {
      String name = names.get(c).toLowerCase(java.util.Locale.ROOT);
      if (!name.contains("cat") && !name.contains("persian") && !name.contains("siamese")) {
        throw new IllegalStateException("label " + c + " is '" + names.get(c) + "', not a domestic cat");
      }
    }
    return names;
  }
}
