package io.catwrangler.terraform.schema;

import java.util.Map;
import java.util.Optional;

/** The body of a block (or of an object-typed value): what may be written in it, by Terraform name. */
public record BlockSchema(Map<String, Argument> arguments) {

  public BlockSchema {
    arguments = Map.copyOf(arguments);
  }

  public Optional<Argument> argument(String name) {
    return Optional.ofNullable(arguments.get(name));
  }

  /** One name in a body: an attribute ({@code name = value}) or a nested block ({@code name { … }}). */
  public sealed interface Argument permits Attribute, NestedBlock {
    String name();

    boolean required();
  }

  /** {@code name = value}. */
  public record Attribute(String name, boolean required, ValueType type) implements Argument {}

  /**
   * {@code name { … }}; {@code single} when the provider takes at most one; {@code body} is empty where the schema
   * does not describe the block's contents (the provider bindings stop at a nesting depth, e.g. QuickSight
   * {@code definition}), and then nothing inside it is checked.
   */
  public record NestedBlock(String name, boolean required, boolean single, Optional<BlockSchema> body)
      implements Argument {}
}
