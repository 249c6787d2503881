package dev.oversight.common.callback;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses are globally reachable, after the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890
 * and its updates): every block they mark "Globally Reachable: False" (or N/A, for deprecated ones) is refused, and
 * so are multicast, 0.0.0.0/8 and the limited broadcast address. Addresses that embed an IPv4 address (IPv4-mapped
 * and -compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address they lead to. Blocks the
 * registries mark reachable but which sit inside a refused block (a few anycast addresses in 192.0.0.0/24 and
 * 2001::/23) are refused with it: callbacks have no business there.
 */
final class SpecialPurposeAddresses {

    private record Block(byte[] prefix, int bits) {
        static Block of(String cidr) {
            String[] p = cidr.split("/");
            try {
                return new Block(InetAddress.getByName(p[0]).getAddress(), Integer.parseInt(p[1]));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    /** IPv4 blocks not globally reachable (IANA IPv4 Special-Purpose Address Registry), plus multicast. */
    private static final List<Block> V4 = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "255.255.255.255/32").stream().map(Block::of).toList();

    /** IPv6 blocks not globally reachable (IANA IPv6 Special-Purpose Address Registry), plus multicast. */
    private static final List<Block> V6 = List.of("::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "2001::/23",
            "2001:db8::/32", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8").stream()
            .map(Block::of).toList();

    private static final Block MAPPED = Block.of("::ffff:0:0/96");
    private static final Block COMPATIBLE = Block.of("::/96");
    private static final Block NAT64 = Block.of("64:ff9b::/96");
    private static final Block SIX_TO_FOUR = Block.of("2002::/16");

    private SpecialPurposeAddresses() {
    }

    static boolean globallyReachable(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return V4.stream().noneMatch(block -> block.contains(b));
        }
        if (!(a instanceof Inet6Address)) {
            return false;
        }
        if (MAPPED.contains(b) || COMPATIBLE.contains(b) || NAT64.contains(b)) {
            return v4(b[12], b[13], b[14], b[15]);
        }
        if (SIX_TO_FOUR.contains(b)) {
            return v4(b[2], b[3], b[4], b[5]);
        }
        return V6.stream().noneMatch(block -> block.contains(b));
    }

    private static boolean v4(byte a, byte b, byte c, byte d) {
        byte[] v4 = {a, b, c, d};
        return V4.stream().noneMatch(block -> block.contains(v4));
    }
}
