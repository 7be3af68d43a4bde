package io.guidepost.grammar;

/** What a {@link CompiledConstraint} was compiled from. */
public enum ConstraintKind {
  REGEX,
  JSON_SCHEMA,
  CHOICE,
  QUOTE,
  TEMPLATE,
  GRAMMAR,
  FREE_TEXT
}
