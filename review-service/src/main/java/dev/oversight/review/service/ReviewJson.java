package dev.oversight.review.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.oversight.common.failure.Failure;
import jakarta.enterprise.context.ApplicationScoped;

/** JSON values as the queue keeps them: as text, and in a canonical text form where equal values must compare equal. */
@ApplicationScoped
public class ReviewJson {

    private final ObjectMapper json;
    private final ObjectMapper canonical;

    public ReviewJson(ObjectMapper json) {
        this.json = json;
        this.canonical = json.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    /** JSON text in a canonical form (keys sorted), so equal values compare equal as text. */
    public String canonicalText(String jsonText) {
        if (jsonText == null) {
            return null;
        }
        try {
            return canonical.writeValueAsString(json.readValue(jsonText, Object.class));
        } catch (JsonProcessingException e) {
            return jsonText;
        }
    }

    public JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }

    /**
     * Any value (a record, a list) as JSON text; null for null. Written directly: the same text as through a tree,
     * without building one and reading it back through the body's checks.
     */
    public String valueText(Object value) {
        return value == null ? null : write(value);
    }

    public String text(JsonNode node) {
        return node == null || node.isNull() ? null : write(node);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new Failure.Malformed("A JSON value could not be serialized");
        }
    }
}
