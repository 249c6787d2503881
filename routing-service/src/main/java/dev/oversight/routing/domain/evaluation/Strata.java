package dev.oversight.routing.domain.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Strata of a benchmark: items grouped by the reason they were routed for, their route, or attribute values, and a
 * sample size split among the groups in proportion to their sizes (largest remainders, so the parts add up; every
 * non-empty stratum keeps at least one item when the size allows).
 */
public final class Strata {

    /** What {@code stratifyBy} may name: reason, route, or an attribute path such as attributes.region. */
    public static final Pattern KEY = Pattern.compile("reason|route|attributes(\\.[A-Za-z0-9_-]{1,64}){1,8}");
    public static final String ALL = "all";

    private Strata() {
    }

    /** The stratum of one item, "route=REVIEW|attributes.region=eu"; {@link #ALL} when not stratified. */
    public static String of(List<String> by, String route, List<String> reasons, JsonNode attributes) {
        if (by == null || by.isEmpty()) {
            return ALL;
        }
        StringBuilder out = new StringBuilder();
        for (String key : by) {
            if (!out.isEmpty()) {
                out.append('|');
            }
            out.append(key).append('=').append(switch (key) {
                case "reason" -> reasons.isEmpty() ? "-" : String.join("+", reasons);
                case "route" -> route;
                default -> attribute(attributes, key.substring("attributes.".length()).split("\\."));
            });
        }
        return out.toString();
    }

    private static String attribute(JsonNode attributes, String[] path) {
        JsonNode node = attributes;
        for (String step : path) {
            node = node == null ? null : node.get(step);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "-";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /**
     * How many items each stratum gives to a sample of {@code size}. A size at or above the total takes all. When the
     * size allows one item per non-empty stratum, each gets one and the rest is split in proportion to what each has
     * left; otherwise the size is split in proportion. Fractions go to the largest remainders (ties by stratum name).
     */
    public static Map<String, Integer> allocate(Map<String, Integer> counts, int size) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> out = new LinkedHashMap<>();
        if (size >= total) {
            out.putAll(counts);
            return out;
        }
        long nonEmpty = counts.values().stream().filter(n -> n > 0).count();
        boolean onePerStratum = size >= nonEmpty;
        Map<String, Integer> rest = new LinkedHashMap<>();
        counts.forEach((name, n) -> {
            int base = onePerStratum && n > 0 ? 1 : 0;
            out.put(name, base);
            rest.put(name, n - base);
        });
        proportional(rest, size - (onePerStratum ? (int) nonEmpty : 0), out);
        return out;
    }

    private static void proportional(Map<String, Integer> counts, int size, Map<String, Integer> out) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (size <= 0 || total == 0) {
            return;
        }
        int given = 0;
        Map<String, Double> remainder = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            double exact = (double) size * e.getValue() / total;
            int floor = (int) Math.floor(exact);
            out.merge(e.getKey(), floor, Integer::sum);
            given += floor;
            remainder.put(e.getKey(), exact - floor);
        }
        List<String> names = new ArrayList<>(counts.keySet());
        names.sort(Comparator.<String>comparingDouble(n -> -remainder.get(n)).thenComparing(Comparator.naturalOrder()));
        for (int i = 0; given < size && i < names.size(); i++) {
            out.merge(names.get(i), 1, Integer::sum);
            given++;
        }
    }
}
