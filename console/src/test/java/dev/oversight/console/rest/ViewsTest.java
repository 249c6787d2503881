package dev.oversight.console.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ViewsTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Views views = new Views(json);

    @Test
    void theTreeEscapesEveryKeyAndValue_soAModelsOutputCannotInjectMarkup() throws Exception {
        String html = views.tree(json.readTree(
                "{\"<img src=x onerror=alert(1)>\":\"<script>alert('x')</script>&\",\"n\":[1,null,\"\\\"q\\\"\"]}"));
        assertThat(html).doesNotContain("<img").doesNotContain("<script")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;")
                .contains("&quot;q&quot;")
                .contains("<dl class=\"json-object\">").contains("<ol class=\"json-array\" start=\"0\">");
    }

    @Test
    void theReliabilityDiagram_placesBinsAndSkipsEmptyOnes() throws Exception {
        String svg = views.reliabilitySvg(json.readTree("[{\"lo\":0,\"hi\":0.5,\"count\":10,\"weight\":10,"
                + "\"meanConfidence\":0.25,\"accuracy\":0.5},{\"lo\":0.5,\"hi\":1,\"count\":0,\"weight\":0,"
                + "\"meanConfidence\":null,\"accuracy\":null}]"));
        assertThat(svg).startsWith("<svg").endsWith("</svg>").contains("role=\"img\"");
        // x = 36 + 0.25 * 248, y = 36 + 248 - 0.5 * 248
        assertThat(svg).contains("cx=\"98.0\" cy=\"160.0\"");
        assertThat(svg.split("<circle", -1)).hasSize(2);
    }
}
