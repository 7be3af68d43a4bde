package io.guidepost.service.grounding;

import java.util.Random;

/**
 * A deterministic, full-size (about 74,000 codes) code list with the shape of ICD-10-CM: a letter,
 * two digits, then up to four letters or digits (e.g. {@code S72001A}), with plausible composed
 * descriptions, in the CMS codes-file format. For scale tests and benchmarks.
 */
public final class SyntheticCodes {
  private SyntheticCodes() {}

  private static final String[] CONDITIONS = {
    "Fracture", "Sprain", "Laceration", "Contusion", "Infection", "Neoplasm", "Ulcer",
    "Dislocation", "Burn", "Abscess", "Stenosis", "Hemorrhage", "Inflammation", "Deformity",
    "Necrosis", "Cyst", "Insufficiency", "Obstruction", "Hypertrophy", "Disorder"
  };
  private static final String[] SITES = {
    "femur",
    "tibia",
    "humerus",
    "wrist",
    "ankle",
    "knee",
    "shoulder",
    "kidney",
    "liver",
    "lung",
    "heart valve",
    "retina",
    "cornea",
    "skin of scalp",
    "thyroid",
    "pancreas",
    "colon",
    "bladder",
    "cervical vertebra",
    "lumbar spine",
    "ear canal",
    "tonsil",
    "esophagus",
    "spleen"
  };
  private static final String[] QUALIFIERS = {
    "right",
    "left",
    "bilateral",
    "unspecified side",
    "displaced",
    "nondisplaced",
    "acute",
    "chronic",
    "recurrent",
    "with complication",
    "without complication",
    "open",
    "closed"
  };
  private static final String[] ENCOUNTERS = {
    "initial encounter", "subsequent encounter", "sequela", "routine healing", "delayed healing"
  };

  /** Most codes this generator can make (26 letters x 100 categories x 30 codes). */
  public static final int MAX_COUNT = 78_000;

  /**
   * The codes file: {@code count} lines with unique codes (30 per three-character category: the
   * category itself, then 4- to 7-character codes below it).
   */
  public static String icd10cmFile(int count, long seed) {
    if (count > MAX_COUNT) {
      throw new IllegalArgumentException("at most " + MAX_COUNT + " codes, asked for " + count);
    }
    Random rnd = new Random(seed);
    StringBuilder sb = new StringBuilder(count * 80);
    int made = 0;
    for (int category = 0; made < count; category++) {
      String cat = (char) ('A' + category / 100) + String.format("%02d", category % 100);
      String alpha = "0123456789ABCDEFGHJKXYZ";
      for (int j = 0; j < 30 && made < count; j++) {
        String code;
        if (j == 0) {
          code = cat;
        } else {
          code = cat + (j % 10) + (j / 10);
          if (j % 3 == 0) {
            code += "" + alpha.charAt(rnd.nextInt(10)) + alpha.charAt(10 + rnd.nextInt(13));
          } else if (j % 3 == 1) {
            code += alpha.charAt(rnd.nextInt(alpha.length()));
          }
        }
        String desc =
            CONDITIONS[rnd.nextInt(CONDITIONS.length)]
                + " of "
                + SITES[rnd.nextInt(SITES.length)]
                + ", "
                + QUALIFIERS[rnd.nextInt(QUALIFIERS.length)]
                + (code.length() == 7 ? ", " + ENCOUNTERS[rnd.nextInt(ENCOUNTERS.length)] : "");
        sb.append(code);
        sb.repeat(' ', 8 - code.length());
        sb.append(desc).append('\n');
        made++;
      }
    }
    return sb.toString();
  }
}
