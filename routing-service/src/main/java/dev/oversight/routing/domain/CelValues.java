package dev.oversight.routing.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.NullValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns request JSON into the values CEL rules evaluate: int64 for integers, double for other numbers. */
public final class CelValues {

    private CelValues() {
    }

    public static Map<String, Object> of(JsonNode object) {
        if (object == null || object.isNull()) {
            return Map.of();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), value(e.getValue()));
        }
        return map;
    }

    /** Any JSON value: a map, a list, a string, a long or double, a bool, or null. */
    public static Object value(JsonNode node) {
        if (node == null) {
            return NullValue.NULL_VALUE;
        }
        return switch (node.getNodeType()) {
            case OBJECT -> of(node);
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(n -> list.add(value(n)));
                yield list;
            }
            case NUMBER -> node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue() : node.doubleValue();
            case BOOLEAN -> node.booleanValue();
            case STRING -> node.textValue();
            default -> NullValue.NULL_VALUE;
        };
    }
}
