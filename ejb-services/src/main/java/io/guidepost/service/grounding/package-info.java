/**
 * Grounding storage and retrieval: Lucene corpora of passages ({@link
 * io.guidepost.service.grounding.CorpusStore}) and code systems such as ICD-10-CM ({@link
 * io.guidepost.service.grounding.CodeListStore}), owned in the server by the singletons {@link
 * io.guidepost.service.grounding.CorpusService} and {@link
 * io.guidepost.service.grounding.CodeListService}.
 *
 * <p>Data directory ({@code guidepost.data.dir}): {@code corpora/<name>/} and {@code
 * codelists/<name>/}, each a properties file plus a Lucene index. Errors callers can cause are
 * {@link io.guidepost.service.grounding.GroundingException}s with a stable {@code type()} and a
 * {@code category()} for the HTTP status; limits are {@link
 * io.guidepost.service.grounding.GroundingLimits}.
 */
package io.guidepost.service.grounding;
