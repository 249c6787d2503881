package dev.oversight.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Random;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** RFC 8785 section 3.2.3's example, and its expected output. */
    @Test
    void theRfcExample() throws Exception {
        String input = "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
                + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
                + " \"literals\": [null, true, false]}";
        assertThat(CanonicalJson.of(JSON.readTree(input))).isEqualTo("{\"literals\":[null,true,false],"
                + "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    /** RFC 8785 section 3.2.3: members sort by UTF-16 code units, so U+1F600 (a surrogate pair) precedes U+FB33. */
    @Test
    void membersSortByUtf16CodeUnits() throws Exception {
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String canonical = CanonicalJson.of(JSON.readTree(input));
        assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    /** Numbers from RFC 8785 appendix B (IEEE 754 bit patterns and their expected text). */
    @Test
    void numbersAsInAppendixB() {
        String[][] cases = {
                {"0000000000000000", "0"}, {"8000000000000000", "0"}, {"0000000000000001", "5e-324"},
                {"8000000000000001", "-5e-324"}, {"7fefffffffffffff", "1.7976931348623157e+308"},
                {"ffefffffffffffff", "-1.7976931348623157e+308"}, {"4340000000000000", "9007199254740992"},
                {"c340000000000000", "-9007199254740992"}, {"4430000000000000", "295147905179352830000"},
                {"44b52d02c7e14af5", "9.999999999999997e+22"}, {"44b52d02c7e14af6", "1e+23"},
                {"44b52d02c7e14af7", "1.0000000000000001e+23"}, {"444b1ae4d6e2ef4e", "999999999999999700000"},
                {"444b1ae4d6e2ef4f", "999999999999999900000"}, {"444b1ae4d6e2ef50", "1e+21"},
                {"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"}, {"3eb0c6f7a0b5ed8d", "0.000001"},
                {"41b3de4355555553", "333333333.3333332"}, {"41b3de4355555554", "333333333.33333325"},
                {"41b3de4355555555", "333333333.3333333"}, {"41b3de4355555556", "333333333.3333334"},
                {"41b3de4355555557", "333333333.33333343"}, {"becbf647612f3696", "-0.0000033333333333333333"},
                {"43143ff3c1cb0959", "1424953923781206.2"}};
        for (String[] c : cases) {
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(c[0], 16));
            assertThat(CanonicalJson.of(NODES.numberNode(d))).as(c[0]).isEqualTo(c[1]);
        }
        assertThatThrownBy(() -> CanonicalJson.of(NODES.numberNode(Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.of(NODES.binaryNode(new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The same text as serializing the tree and canonicalizing that text with the reference library. */
    @Test
    void sameTextAsTheReferenceLibrary_onGeneratedTrees() throws Exception {
        Random random = new Random(8785);
        for (int i = 0; i < 3000; i++) {
            // The reference library takes an object or an array at the top, as events are.
            JsonNode tree = NODES.objectNode().set(text(random), tree(random, 0));
            String expected = new JsonCanonicalizer(JSON.writeValueAsString(tree)).getEncodedString();
            assertThat(CanonicalJson.of(tree)).as("tree %s", tree).isEqualTo(expected);
        }
    }

    private static JsonNode tree(Random r, int depth) {
        int kind = depth >= 4 ? 2 + r.nextInt(6) : r.nextInt(8);
        switch (kind) {
            case 0 -> {
                ObjectNode o = NODES.objectNode();
                for (int i = r.nextInt(6); i > 0; i--) {
                    o.set(text(r), tree(r, depth + 1));
                }
                return o;
            }
            case 1 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = r.nextInt(6); i > 0; i--) {
                    a.add(tree(r, depth + 1));
                }
                return a;
            }
            case 2 -> {
                return NODES.textNode(text(r));
            }
            case 3 -> {
                return NODES.numberNode(r.nextInt(2_000_001) - 1_000_000);
            }
            case 4 -> {
                return switch (r.nextInt(5)) {
                    case 0 -> NODES.numberNode(r.nextLong());
                    case 1 -> NODES.numberNode(new BigInteger(90, r).negate());
                    case 2 -> NODES.numberNode(Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL));
                    case 3 -> NODES.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(60) - 30));
                    default -> NODES.numberNode(-r.nextGaussian());
                };
            }
            case 5 -> {
                return NODES.booleanNode(r.nextBoolean());
            }
            case 6 -> {
                return NODES.nullNode();
            }
            default -> {
                return NODES.textNode(text(r) + text(r));
            }
        }
    }

    /** Text with escapes, controls, non-ASCII, surrogate pairs and characters beyond the Basic Latin range. */
    private static String text(Random r) {
        String[] pieces = {"a", "Z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\u0001", "\u001f",
                "\u007f", "\u0080", "é", "ö", "€", "\u2028", "\ufb33", "\uffff", "😀", "𝄞", "claim", "décision"};
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            b.append(pieces[r.nextInt(pieces.length)]);
        }
        return b.toString();
    }
}
