package dev.oversight.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StorableTextTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(StorableText.module());

    private JsonNode tree(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void aTreeWithoutNul_isStorable_andHasNoCulprit() throws Exception {
        JsonNode t = tree("{\"a\":[1,\"x\",{\"b\":null,\"c~/d\":\"y\"}],\"e\":true}");
        assertThat(StorableText.storable(t)).isTrue();
        assertThat(StorableText.findUnstorable(t)).isNull();
        assertThat(json.readTree("{\"a\":[\"ok\"]}").get("a").get(0).asText()).isEqualTo("ok");
    }

    @Test
    void aNulAnywhere_isFound_andLocatedByItsJsonPointer() throws Exception {
        JsonNode inArray = tree("{\"a\":[1,\"x\",{\"b\":\"\\u0000\"}]}");
        assertThat(StorableText.storable(inArray)).isFalse();
        assertThat(StorableText.findUnstorable(inArray)).isEqualTo("/a/2/b");
        // RFC 6901 escapes "~" as "~0" and "/" as "~1" in a key.
        JsonNode escaped = tree("{\"c~/d\":[\"\\u0000\"]}");
        assertThat(StorableText.storable(escaped)).isFalse();
        assertThat(StorableText.findUnstorable(escaped)).isEqualTo("/c~0~1d/0");
        JsonNode inKey = tree("{\"ok\":1,\"k\\u0000\":1}");
        assertThat(StorableText.storable(inKey)).isFalse();
        assertThat(StorableText.findUnstorable(inKey)).isEqualTo("/k\\u0000");
        assertThat(StorableText.storable(tree("\"\\u0000\""))).isFalse();
    }

    @Test
    void readingABody_refusesTheTree_namingWhere() {
        assertThatThrownBy(() -> json.readTree("{\"x\":[\"ok\",\"\\u0000\"]}")).isInstanceOf(
                StorableText.UnstorableTextException.class);
        assertThatThrownBy(() -> json.readValue("{\"x\":[\"ok\",\"\\u0000\"]}", JsonNode.class))
                .isInstanceOfSatisfying(StorableText.UnstorableTextException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/x/1"));
    }
}
