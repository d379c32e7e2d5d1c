package io.swarmtee.proxy.http;

/** Reading a request's {@code Accept-Encoding}: the one question swarmtee asks of it. */
public final class AcceptEncoding {

  private AcceptEncoding() {}

  /**
   * @param acceptEncoding the header's value, or null when absent
   * @return whether it lists gzip without {@code q=0} among its parameters
   */
  public static boolean gzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] p = part.trim().split(";");
      if (p[0].trim().equalsIgnoreCase("gzip")) {
        for (int i = 1; i < p.length; i++) {
          if (p[i].trim().replace(" ", "").matches("q=0(\\.0*)?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }
}
