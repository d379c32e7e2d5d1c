package io.swarmtee.manifest;

/**
 * A {@code RESOLUTION} attribute value: {@code <width>x<height>} in pixels.
 *
 * @param width horizontal pixels, positive
 * @param height vertical pixels, positive
 */
public record Resolution(int width, int height) {

  public Resolution {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("resolution must be positive: " + width + "x" + height);
    }
  }

  /**
   * Parses {@code 1280x720}.
   *
   * @throws IllegalArgumentException if {@code text} is not two positive decimal integers joined by
   *     'x'
   */
  public static Resolution parse(String text) {
    int x = text.indexOf('x');
    if (x <= 0 || x == text.length() - 1) {
      throw new IllegalArgumentException("not a resolution (WIDTHxHEIGHT): " + text);
    }
    return new Resolution(
        positiveInt(text.substring(0, x), text), positiveInt(text.substring(x + 1), text));
  }

  private static int positiveInt(String digits, String text) {
    if (digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a resolution (WIDTHxHEIGHT): " + text);
    }
    return Integer.parseInt(digits);
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
