package dev.hookwire.transport;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/** The checks behind {@link NetworkPolicy}. Stateless and thread-safe. */
final class NetworkChecks {
  private NetworkChecks() {}

  static void checkUrl(NetworkPolicy policy, URI url) throws DestinationRefusedException {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new DestinationRefusedException("refused " + url + ": only http and https URLs are allowed");
    }
    if (policy.httpsOnly() && !scheme.equals("https")) {
      throw new DestinationRefusedException(
          "refused " + url + ": the network policy allows https only");
    }
    String host = url.getHost();
    if (host == null || host.isEmpty()) {
      throw new DestinationRefusedException("refused " + url + ": no host");
    }
    InetAddress literal = literal(host);
    if (literal != null) {
      checkAddresses(policy, host, List.of(literal));
    } else if (looksNumeric(host)) {
      // Java would hand such a host to DNS rather than parse it, and OkHttp, taking it for an
      // address, would skip its DNS hook: refuse it rather than let it through unchecked.
      throw new DestinationRefusedException(
          "refused " + url + ": the host looks like an IP address but is not a valid one");
    } else if (!policy.allowsPrivateNetworks()) {
      String lower = host.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".")) {
        lower = lower.substring(0, lower.length() - 1);
      }
      if (lower.equals("localhost") || lower.endsWith(".localhost")) {
        throw new DestinationRefusedException(
            "refused " + url + ": localhost is a loopback destination; build the dispatcher with"
                + " NetworkPolicy.builder().allowPrivateNetworks(true) to allow it");
      }
    }
  }

  static void checkAddresses(NetworkPolicy policy, String host, List<InetAddress> addresses)
      throws DestinationRefusedException {
    if (policy.allowsPrivateNetworks()) {
      return;
    }
    for (InetAddress address : addresses) {
      if (!isPublic(address)) {
        throw new DestinationRefusedException(
            "refused "
                + host
                + ": it resolves to "
                + address.getHostAddress()
                + ", a loopback, private, link-local or reserved address; build the dispatcher"
                + " with NetworkPolicy.builder().allowPrivateNetworks(true) to allow such"
                + " destinations");
      }
    }
  }

  /**
   * Parses an IP literal without a DNS lookup, or answers null for a host name (or a malformed
   * literal). IPv4 follows the JDK's own parser, which OkHttp and the JDK client use to connect:
   * one to four decimal parts, the last filling the remaining bytes ({@code 127.1}, {@code
   * 2130706433}). IPv6 is parsed in brackets, where the JDK never falls back to DNS.
   */
  static InetAddress literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.indexOf(':') >= 0) {
      try {
        return InetAddress.getByName("[" + h + "]");
      } catch (UnknownHostException e) {
        return null;
      }
    }
    byte[] v4 = parseIpv4(h);
    if (v4 == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(v4);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always a valid address
    }
  }

  /** Whether a host is made of digits and dots only: no registered name is. */
  static boolean looksNumeric(String host) {
    return !host.isEmpty() && host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
  }

  /** The JDK's IPv4 literal rules ({@code IPAddressUtil.textToNumericFormatV4}), ASCII only. */
  private static byte[] parseIpv4(String src) {
    int len = src.length();
    if (len == 0 || len > 15 || !looksNumeric(src)) {
      return null;
    }
    byte[] res = new byte[4];
    long value = 0;
    int currByte = 0;
    boolean newOctet = true;
    for (int i = 0; i < len; i++) {
      char c = src.charAt(i);
      if (c == '.') {
        if (newOctet || value > 0xff || currByte == 3) {
          return null;
        }
        res[currByte++] = (byte) value;
        value = 0;
        newOctet = true;
      } else {
        value = value * 10 + (c - '0');
        newOctet = false;
      }
    }
    if (newOctet || value >= (1L << ((4 - currByte) * 8))) {
      return null;
    }
    for (int i = 3; i >= currByte; i--) {
      res[i] = (byte) value;
      value >>= 8;
    }
    return res;
  }

  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicV4(b);
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local
        return false;
      }
      if (first == 0 && isMappedOrCompatibleV4(b)) {
        byte[] v4 = {b[12], b[13], b[14], b[15]};
        return isPublicV4(v4) && !allZero(v4);
      }
      if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
        return false; // 2001:db8::/32 documentation
      }
      if (first == 0x20 && (b[1] & 0xff) == 0x02) { // 2002::/16 6to4: judge the embedded IPv4
        return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]});
      }
      if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
        return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // 64:ff9b::/96 NAT64
      }
      return (first & 0xe0) == 0x20; // 2000::/3 global unicast
    }
    return false;
  }

  private static boolean isMappedOrCompatibleV4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPublicV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    return !(a0 == 0 // 0.0.0.0/8 "this network"
        || a0 == 10
        || a0 == 127
        || (a0 == 100 && a1 >= 64 && a1 <= 127) // 100.64.0.0/10 carrier-grade NAT
        || (a0 == 169 && a1 == 254)
        || (a0 == 172 && a1 >= 16 && a1 <= 31)
        || (a0 == 192 && a1 == 0 && a2 == 0) // 192.0.0.0/24 protocol assignments
        || (a0 == 192 && a1 == 0 && a2 == 2) // TEST-NET-1
        || (a0 == 192 && a1 == 88 && a2 == 99) // 6to4 relay anycast
        || (a0 == 192 && a1 == 168)
        || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
        || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
        || (a0 == 203 && a1 == 0 && a2 == 113) // TEST-NET-3
        || a0 >= 224); // multicast, reserved, broadcast
  }
}
