package dev.hookwire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkPolicyTest {
  private static final NetworkPolicy DEFAULTS = NetworkPolicy.ofDefaults();
  private static final NetworkPolicy PRIVATE_ALLOWED =
      NetworkPolicy.builder().allowPrivateNetworks(true).build();

  // ---- isPublic

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0", "0.1.2.3", // 0/8 "this network"
        "10.0.0.1", "10.255.255.255", // 10/8
        "100.64.0.1", "100.127.255.254", // 100.64/10 carrier-grade NAT
        "127.0.0.1", "127.1.2.3", // 127/8 loopback
        "169.254.169.254", "169.254.0.1", // 169.254/16 link-local, cloud metadata
        "172.16.0.1", "172.31.255.254", // 172.16/12
        "192.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", // reserved, TEST-NETs
        "192.168.0.1", "192.168.255.255", // 192.168/16
        "224.0.0.1", "239.255.255.250", // 224/4 multicast
        "240.0.0.1", "255.255.255.255" // 240/4 reserved, broadcast
      })
  void ipv4AddressesThatAreNotPublic(String address) throws UnknownHostException {
    assertThat(NetworkPolicy.isPublic(InetAddress.getByName(address))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8", "1.1.1.1", "9.9.9.9", "93.184.216.34",
        "100.63.255.255", "100.128.0.1", // just outside 100.64/10
        "172.15.255.255", "172.32.0.1", // just outside 172.16/12
        "11.0.0.1", "126.255.255.255", "128.0.0.1", "169.253.1.1", "192.169.0.1", "223.255.255.254"
      })
  void publicIpv4Addresses(String address) throws UnknownHostException {
    assertThat(NetworkPolicy.isPublic(InetAddress.getByName(address))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "::1", // loopback
        "::", // unspecified
        "fe80::1", "febf::1", // link-local fe80::/10
        "fc00::1", "fd12::1", "fdff:ffff::1", // unique local fc00::/7
        "ff02::1", "ff05::2", // multicast
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", // IPv4-mapped
        "::127.0.0.1", // IPv4-compatible
        "2001:db8::1", // documentation
        "64:ff9b::a9fe:a9fe", // NAT64 of 169.254.169.254
        "2002:7f00:1::1", // 6to4 of 127.0.0.1
        "100::1", // discard-only
        "fec0::1" // deprecated site-local
      })
  void ipv6AddressesThatAreNotPublic(String address) throws UnknownHostException {
    assertThat(NetworkPolicy.isPublic(InetAddress.getByName(address))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8", // IPv4-mapped public
        "64:ff9b::808:808", // NAT64 of 8.8.8.8
        "2002:808:808::1" // 6to4 of 8.8.8.8
      })
  void publicIpv6Addresses(String address) throws UnknownHostException {
    assertThat(NetworkPolicy.isPublic(InetAddress.getByName(address))).isTrue();
  }

  // ---- checkUrl

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/", "http://127.0.0.1:8080/x", "https://10.1.2.3/", "http://[::1]:8080/",
        "http://[fe80::1]/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
        "http://localhost/", "http://LOCALHOST:9000/", "http://api.localhost/",
        "http://2130706433/", // 127.0.0.1 as one decimal number
        "http://[::ffff:7f00:1]/",
        "http://localhost./"
      })
  void defaultPolicyRefusesPrivateUrls(String url) {
    assertThatThrownBy(() -> DEFAULTS.checkUrl(URI.create(url)))
        .isInstanceOf(DestinationRefusedException.class)
        .hasMessageContaining("allowPrivateNetworks(true)");
    assertThatCode(() -> PRIVATE_ALLOWED.checkUrl(URI.create(url))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://hooks.example.com/in", "http://8.8.8.8/", "https://[2606:4700:4700::1111]/",
        "https://localhost.example.com/"
      })
  void defaultPolicyAcceptsPublicUrlsWithoutLookingUpNames(String url) {
    assertThatCode(() -> DEFAULTS.checkUrl(URI.create(url))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://4294967296/", "http://99999999999/", "http://0000000000000001/"})
  void refusesHostsThatLookNumericButAreNoAddress(String url) {
    // java.net.URI takes these for host names; the JDK would look them up in DNS rather than
    // parse them, and OkHttp, taking them for addresses, would skip its DNS hook.
    assertThatThrownBy(() -> PRIVATE_ALLOWED.checkUrl(URI.create(url)))
        .isInstanceOf(DestinationRefusedException.class)
        .hasMessageContaining("not a valid one");
  }

  @Test
  void literalsAreParsedAsTheJdkParsesThem() throws Exception {
    for (String literal :
        List.of("127.0.0.1", "127.1", "10.1.2", "2130706433", "0177.0.0.1", "0", "255.255.255.255", "1.2.65535")) {
      assertThat(NetworkChecks.literal(literal)).as(literal).isEqualTo(InetAddress.getByName(literal));
    }
    assertThat(NetworkChecks.literal("[::1]")).isEqualTo(InetAddress.getByName("::1"));
    assertThat(NetworkChecks.literal("::ffff:10.0.0.1")).isEqualTo(InetAddress.getByName("10.0.0.1"));
    for (String name : List.of("example.com", "256.1.1.1", "1.2.3.4.", "99999999999", "1.2.65536", "zz::1")) {
      assertThat(NetworkChecks.literal(name)).as(name).isNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/", "file:///etc/passwd", "gopher://example.com/"})
  void refusesOtherSchemes(String url) {
    assertThatThrownBy(() -> PRIVATE_ALLOWED.checkUrl(URI.create(url)))
        .isInstanceOf(DestinationRefusedException.class);
  }

  @Test
  void httpsOnlyRefusesHttp() throws DestinationRefusedException {
    NetworkPolicy httpsOnly = NetworkPolicy.builder().httpsOnly(true).build();
    assertThat(httpsOnly.httpsOnly()).isTrue();
    assertThatThrownBy(() -> httpsOnly.checkUrl(URI.create("http://hooks.example.com/")))
        .isInstanceOf(DestinationRefusedException.class)
        .hasMessageContaining("https only");
    httpsOnly.checkUrl(URI.create("https://hooks.example.com/"));
  }

  // ---- checkAddresses

  @Test
  void everyResolvedAddressMustBePublic() throws Exception {
    List<InetAddress> mixed =
        List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.7"));
    assertThatThrownBy(() -> DEFAULTS.checkAddresses("rebind.example.com", mixed))
        .isInstanceOf(DestinationRefusedException.class)
        .hasMessageContaining("rebind.example.com")
        .hasMessageContaining("10.0.0.7");
    PRIVATE_ALLOWED.checkAddresses("rebind.example.com", mixed);
    DEFAULTS.checkAddresses("example.com", List.of(InetAddress.getByName("93.184.216.34")));
  }

  // ---- the policy itself

  @Test
  void defaultsRefusePrivateNetworksAndAllowHttp() {
    assertThat(DEFAULTS.allowsPrivateNetworks()).isFalse();
    assertThat(DEFAULTS.httpsOnly()).isFalse();
    assertThat(NetworkPolicy.ofDefaults()).isSameAs(DEFAULTS);
    assertThat(PRIVATE_ALLOWED.toString()).contains("allowPrivateNetworks=true", "httpsOnly=false");
  }
}
