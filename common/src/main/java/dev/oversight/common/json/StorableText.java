package dev.oversight.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses, while a body is read, any string PostgreSQL cannot store: text and jsonb reject the NUL character
 * (U+0000), and one such value would otherwise fail the whole batch its row is committed with. Applies to
 * every string of every body (record fields, map keys, and every value and key inside free-form JSON), so the caller
 * gets a 400 naming the field instead of their neighbours getting a 503.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Thrown for an unstorable string; {@code pointer} locates it inside a free-form JSON field ("" for the field). */
    public static final class UnstorableTextException extends JsonMappingException {
        private final String pointer;

        UnstorableTextException(JsonParser parser, String pointer) {
            super(parser, "must not contain the NUL character (\\u0000), which cannot be stored");
            this.pointer = pointer;
        }

        public String pointer() {
            return pointer;
        }
    }

    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("storable-text");
        module.addDeserializer(String.class, new Strings());
        module.addKeyDeserializer(String.class, new Keys());
        module.addDeserializer(JsonNode.class, new Trees<>(JsonNode.class));
        module.addDeserializer(ObjectNode.class, new Trees<>(ObjectNode.class));
        module.addDeserializer(ArrayNode.class, new Trees<>(ArrayNode.class));
        return module;
    }

    static boolean storable(String s) {
        return s.indexOf('\u0000') < 0;
    }

    private static final class Strings extends StdDeserializer<String> {
        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && !storable(value)) {
                throw new UnstorableTextException(p, "");
            }
            return value;
        }
    }

    private static final class Keys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (!storable(key)) {
                throw new UnstorableTextException(ctxt.getParser(), "");
            }
            return key;
        }
    }

    private static final class Trees<T extends JsonNode> extends StdDeserializer<T> {
        private final JsonDeserializer<? extends JsonNode> delegate;

        Trees(Class<T> type) {
            super(type);
            this.delegate = JsonNodeDeserializer.getDeserializer(type);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = delegate.deserialize(p, ctxt);
            String bad = findUnstorable(tree);
            if (bad != null) {
                throw new UnstorableTextException(p, bad);
            }
            return (T) tree;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            return (T) delegate.getNullValue(ctxt);
        }
    }

    /** Whether every key and string in the tree is storable. */
    static boolean storable(JsonNode node) {
        return findUnstorable(node) == null;
    }

    /**
     * The JSON pointer (RFC 6901) of the first unstorable key or string in the tree, or null if there is none. The
     * pointer is built on the way back from the culprit only: a tree that passes (almost every one) builds no strings.
     */
    static String findUnstorable(JsonNode node) {
        if (node.isTextual()) {
            return storable(node.textValue()) ? null : "";
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String bad = findUnstorable(node.get(i));
                if (bad != null) {
                    return "/" + i + bad;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!storable(e.getKey())) {
                    return ("/" + token(e.getKey())).replace("\u0000", "\\u0000");
                }
                String bad = findUnstorable(e.getValue());
                if (bad != null) {
                    return "/" + token(e.getKey()) + bad;
                }
            }
        }
        return null;
    }

    private static String token(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
