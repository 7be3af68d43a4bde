package io.guidepost.service;

import io.guidepost.grammar.Choice;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.Grammar;
import io.guidepost.grammar.GrammarLimits;
import io.guidepost.grammar.InvalidConstraintException;
import io.guidepost.grammar.ParserLimits;
import io.guidepost.grammar.Quote;
import io.guidepost.grammar.Regex;
import io.guidepost.grammar.Template;
import java.util.List;

/**
 * Dispatches a {@link ConstraintSpec} to the grammar compiler of its kind, under the service's
 * {@link GrammarLimits}. Stateless.
 */
final class ConstraintCompiler {
  private ConstraintCompiler() {}

  static CompiledConstraint compile(ConstraintSpec spec, GrammarLimits limits) {
    return switch (spec) {
      case ConstraintSpec.Regex r -> Regex.compile(r.pattern(), limits);
      case ConstraintSpec.Choice c -> Choice.compile(c.options(), limits);
      case ConstraintSpec.JsonSchema s -> JsonSchemas.compile(s, limits);
      case ConstraintSpec.Quote q -> Quote.compile(texts(q), quoteOptions(q), limits);
      case ConstraintSpec.Template t -> template(t, limits);
      case ConstraintSpec.Grammar g ->
          Grammar.compile(
              g.grammar(), Grammar.Syntax.of(g.syntax()), limits, ParserLimits.DEFAULTS);
    };
  }

  private static List<String> texts(ConstraintSpec.Quote q) {
    return q.passages().stream().map(ConstraintSpec.Passage::text).toList();
  }

  private static Quote.Options quoteOptions(ConstraintSpec.Quote q) {
    return new Quote.Options(q.minLength(), q.maxLength(), q.wordBoundaries(), q.wordBoundaries());
  }

  private static CompiledConstraint template(ConstraintSpec.Template t, GrammarLimits limits) {
    Template.Builder b = Template.builder();
    for (ConstraintSpec.TemplatePart p : t.parts()) {
      if (p.isLiteral()) {
        b.literal(p.text());
        continue;
      }
      switch (p.hole()) {
        case null -> b.freeText(p.name(), p.stop(), p.maxLength());
        case ConstraintSpec.Regex r -> b.regex(p.name(), r.pattern());
        case ConstraintSpec.Choice c -> b.choice(p.name(), c.options());
        case ConstraintSpec.Quote q -> b.quote(p.name(), texts(q), quoteOptions(q));
        case ConstraintSpec.JsonSchema s -> JsonSchemas.addHole(b, p.name(), s);
        case ConstraintSpec.Template nested ->
            throw new InvalidConstraintException(
                "template hole \"" + p.name() + "\" cannot itself be a template");
        case ConstraintSpec.Grammar g ->
            b.grammar(p.name(), g.grammar(), Grammar.Syntax.of(g.syntax()), ParserLimits.DEFAULTS);
      }
    }
    return b.compile(limits);
  }
}
