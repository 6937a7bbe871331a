package io.huitong.hub.proxy.impl;

import io.huitong.hub.config.DefinitionException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The addresses a consumer may call from: IPv4 or IPv6 networks in CIDR form ({@code 10.1.0.0/16},
 * {@code 192.0.2.7}, {@code 2001:db8::/32}). An empty list allows every address.
 */
final class IpAllowList {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  private record Network(byte[] address, int prefix) {
    boolean contains(byte[] candidate) {
      if (candidate.length != address.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != address[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (candidate[full] & mask) == (address[full] & mask);
    }
  }

  private final List<String> written;
  private final List<Network> networks;

  private IpAllowList(List<String> written, List<Network> networks) {
    this.written = List.copyOf(written);
    this.networks = List.copyOf(networks);
  }

  /** @throws DefinitionException naming {@code path[i]} for an entry that is not an address or network */
  static IpAllowList parse(List<String> cidrs, String path) {
    List<Network> networks = new ArrayList<>();
    for (int i = 0; i < cidrs.size(); i++) {
      String cidr = cidrs.get(i).trim();
      int slash = cidr.indexOf('/');
      String host = slash < 0 ? cidr : cidr.substring(0, slash);
      byte[] address = literal(host);
      if (address == null) {
        throw new DefinitionException(path + "[" + i + "]", "'" + cidr + "' is not an IP address or CIDR network");
      }
      int prefix = address.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > address.length * 8) {
          throw new DefinitionException(path + "[" + i + "]", "'" + cidr + "' has an invalid prefix length");
        }
      }
      networks.add(new Network(address, prefix));
    }
    return new IpAllowList(cidrs, networks);
  }

  List<String> written() {
    return written;
  }

  boolean allows(String remote) {
    if (networks.isEmpty()) {
      return true;
    }
    byte[] candidate = remote == null ? null : literal(remote);
    if (candidate == null) {
      return false;
    }
    for (Network n : networks) {
      if (n.contains(candidate)) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of a literal address; never a DNS lookup (only digits, hex and separators reach InetAddress). */
  private static byte[] literal(String host) {
    if (host.isEmpty() || !LITERAL.matcher(host).matches() || (!host.contains(":") && host.chars().filter(c -> c == '.').count() != 3)) {
      return null;
    }
    try {
      // InetAddress turns an IPv4-mapped IPv6 literal into its IPv4 address, so both forms compare alike.
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
