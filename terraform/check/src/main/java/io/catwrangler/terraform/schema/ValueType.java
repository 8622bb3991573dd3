package io.catwrangler.terraform.schema;

/** The Terraform type of an attribute's value, as far as a check of literal values needs it. */
public sealed interface ValueType {

  enum Primitive implements ValueType { STRING, NUMBER, BOOL, ANY }

  /** {@code list(…)} or {@code set(…)}. */
  record ListOf(ValueType element) implements ValueType {}

  record MapOf(ValueType element) implements ValueType {}

  /** {@code object({…})}: its attributes, each optional or required. */
  record ObjectOf(BlockSchema attributes) implements ValueType {}

  /**
   * {@code list(object({…}))} or {@code set(…)} of objects: the only attribute type Terraform also accepts written
   * as blocks ({@code ingress { … }} for {@code aws_security_group.ingress}).
   */
  static boolean acceptsBlocks(ValueType type) {
    return type instanceof ListOf list && list.element() instanceof ObjectOf;
  }
}
