package io.guidepost.service.grounding;

/**
 * What a loaded code list is.
 *
 * @param name the code list name
 * @param options how it was read and how its codes are presented
 * @param codes the number of codes
 */
public record CodeListInfo(String name, CodeListOptions options, int codes) {}
