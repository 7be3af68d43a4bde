package io.guidepost.service.grounding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The text analysis shared by corpora and code lists: {@link EnglishAnalyzer} (standard tokenizer,
 * lower case, English stop words, possessive removal, Porter stemming), so that "hyperglycemic" in
 * a note meets "hyperglycemia" in a description.
 *
 * <p>Analyzers are thread-safe (per-thread token stream reuse). Cost: linear in the text.
 */
final class LuceneText {
  private LuceneText() {}

  /** A new analyzer; the owner closes it. */
  static Analyzer newAnalyzer() {
    return new EnglishAnalyzer();
  }

  /**
   * The distinct analysed terms of {@code text} in first-seen order; throws {@link
   * GroundingException.LimitExceeded} when there are more than {@code maxTerms}.
   */
  static Set<String> distinctTerms(Analyzer analyzer, String field, String text, int maxTerms) {
    return terms(analyzer, field, text, maxTerms, false);
  }

  /**
   * Like {@link #distinctTerms} but the limit applies to all analysed terms, repeats included (a
   * parsed query has one clause per occurrence).
   */
  static Set<String> checkTermCount(Analyzer analyzer, String field, String text, int maxTerms) {
    return terms(analyzer, field, text, maxTerms, true);
  }

  private static Set<String> terms(
      Analyzer analyzer, String field, String text, int maxTerms, boolean countRepeats) {
    Set<String> terms = new LinkedHashSet<>();
    int occurrences = 0;
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
        occurrences++;
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (countRepeats && occurrences > maxTerms) {
      throw new GroundingException.LimitExceeded(
          "max-query-terms", maxTerms, occurrences, "query has too many terms");
    }
    if (terms.size() > maxTerms) {
      throw new GroundingException.LimitExceeded(
          "max-query-terms", maxTerms, terms.size(), "query has too many distinct terms");
    }
    return terms;
  }
}
