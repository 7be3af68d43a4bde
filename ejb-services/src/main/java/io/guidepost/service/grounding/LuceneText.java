package io.guidepost.service.grounding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The text analysis of corpora and code lists: {@link EnglishAnalyzer} (standard tokenizer, lower
 * case, English stop words, possessive removal, Porter stemming: "diabetic" meets "diabetes"), and
 * for code lists an extra word-prefix field.
 *
 * <p>Analyzers are thread-safe (per-thread token stream reuse). Cost: linear in the text.
 */
final class LuceneText {
  private LuceneText() {}

  /** Length to which {@link #newCodeListAnalyzer} truncates words in prefix fields. */
  static final int PREFIX_CHARS = 6;

  /** A new analyzer; the owner closes it. */
  static Analyzer newAnalyzer() {
    return new EnglishAnalyzer();
  }

  /**
   * The code-list analyzer: {@link EnglishAnalyzer} for every field except {@code prefixField},
   * where words are lower-cased, stop words dropped and each word truncated to its first {@value
   * #PREFIX_CHARS} characters (truncation stemming). The prefix field lets word forms that Porter
   * stemming keeps apart meet: "hyperglycemic" and "hyperglycemia" both become "hyperg",
   * "asthmatic" and "asthma" both "asthma". The owner closes it.
   */
  static Analyzer newCodeListAnalyzer(String prefixField) {
    Analyzer prefix =
        new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String fieldName) {
            StandardTokenizer source = new StandardTokenizer();
            TokenStream ts = new LowerCaseFilter(source);
            ts = new StopFilter(ts, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            ts = new TruncateTokenFilter(ts, PREFIX_CHARS);
            return new TokenStreamComponents(source, ts);
          }
        };
    return new PerFieldAnalyzerWrapper(new EnglishAnalyzer(), Map.of(prefixField, prefix));
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
