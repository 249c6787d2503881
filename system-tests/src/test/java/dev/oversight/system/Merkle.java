package dev.oversight.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** An auditor's own check of the audit service's proofs (RFC 6962 hashing, RFC 9162 §2.1.3.2 inclusion). */
final class Merkle {

    private Merkle() {
    }

    static String leafHash(String canonical) {
        return HexFormat.of().formatHex(hash((byte) 0, canonical.getBytes(StandardCharsets.UTF_8), new byte[0]));
    }

    static boolean verifyInclusion(String leafHex, long index, long size, List<String> pathHex, String rootHex) {
        if (index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = HexFormat.of().parseHex(leafHex);
        for (String hex : pathHex) {
            byte[] p = HexFormat.of().parseHex(hex);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = hash((byte) 1, p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = hash((byte) 1, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && HexFormat.of().formatHex(r).equals(rootHex);
    }

    private static byte[] hash(byte prefix, byte[] a, byte[] b) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prefix);
            sha.update(a);
            sha.update(b);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
