package io.guidepost.decoding;

/**
 * Code-point length bounds on the whole output that the DFA alone does not enforce (from the
 * grammar's compiled constraint).
 *
 * <p>{@link #canComplete(int, int)} must answer "some accepted completion exists from DFA state
 * {@code state} whose total length, counting the {@code chars} code points already emitted, lies
 * within {@code minChars()..maxChars()}". Implementations are immutable and thread-safe.
 */
interface LengthBounds {
  /** No bounds: every live state can complete. */
  LengthBounds NONE =
      new LengthBounds() {
        @Override
        public int minChars() {
          return 0;
        }

        @Override
        public int maxChars() {
          return Integer.MAX_VALUE;
        }

        @Override
        public boolean canComplete(int state, int chars) {
          return true;
        }
      };

  int minChars();

  int maxChars();

  boolean canComplete(int state, int chars);

  /** True when these bounds never exclude anything. */
  default boolean isTrivial() {
    return minChars() <= 0 && maxChars() == Integer.MAX_VALUE;
  }
}
