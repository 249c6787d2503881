package dev.oversight.console.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the console reads an agent's run to a reviewer, and reads back a call edited field by field. */
class AgentViewsTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Views views = new Views(json);

    private JsonNode read(String text) throws Exception {
        return json.readTree(text);
    }

    @Test
    void aToolCallSitsWithItsResults_otherStepsStandAlone_andLongOnesAreFolded() throws Exception {
        String longText = "y".repeat(AgentViews.FOLD_CHARS + 1);
        AgentViews.TrajectoryView v = AgentViews.trajectory(read("[{\"kind\":\"message\",\"content\":\"hi\"},"
                + "{\"kind\":\"tool_call\",\"name\":\"a\",\"content\":{}},{\"kind\":\"tool_result\",\"name\":\"a\","
                + "\"content\":\"" + longText + "\"},{\"kind\":\"tool_result\",\"name\":\"b\",\"content\":1},"
                + "{\"kind\":\"tool_call\",\"name\":\"c\",\"content\":{}},{\"kind\":\"reasoning\",\"content\":\"<b>\"}]"),
                views);
        assertThat(v.size()).isEqualTo(6);
        assertThat(v.groups()).extracting(g -> g.steps().stream().map(AgentViews.StepView::index).toList())
                .containsExactly(List.of(0), List.of(1, 2), List.of(3), List.of(4), List.of(5));
        assertThat(v.groups()).extracting(AgentViews.StepGroup::paired).containsExactly(false, true, false, false, false);
        assertThat(v.groups().get(1).steps().get(1).folded()).isTrue();
        assertThat(v.groups().get(0).steps().get(0).folded()).isFalse();
        assertThat(v.groups().get(4).steps().get(0).contentHtml()).contains("&lt;b&gt;").doesNotContain("<b>");
        assertThat(v.groups().get(4).steps().get(0).label()).isEqualTo("Reasoning");
        assertThat(AgentViews.trajectory(null, views)).isNull();
        assertThat(AgentViews.trajectory(read("[]"), views)).isNull();
    }

    /** A posted form from name, value, name, value, ... */
    private static MultivaluedMap<String, String> form(String... pairs) {
        MultivaluedMap<String, String> m = new MultivaluedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.add(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void aCallEditedFieldByField_keepsTextAsText_readsOtherValuesAsJson_removesAndAdds() throws Exception {
        VerdictForm f = new VerdictForm(form("toolName", "refund",
                "argName.0", "invoice", "argText.0", "true", "argValue.0", "120",
                "argName.1", "amount", "argText.1", "false", "argValue.1", "60",
                "argName.2", "note", "argText.2", "true", "argValue.2", "x", "argRemove.2", "yes",
                "newArgName", "currency", "newArgValue", "EUR"));
        assertThat(f.correction(views)).isEqualTo(read("{\"name\":\"refund\",\"arguments\":{\"invoice\":\"120\","
                + "\"amount\":60,\"currency\":\"EUR\"}}"));
        VerdictForm bad = new VerdictForm(form("toolName", "refund", "argName.0", "amount", "argText.0",
                "false", "argValue.0", "sixty"));
        assertThatThrownBy(() -> bad.correction(views)).isInstanceOf(VerdictForm.Unreadable.class)
                .hasMessageContaining("'amount'");
        // Typed JSON wins over the fields (the confirmation sends the call back as JSON).
        VerdictForm typed = new VerdictForm(form("correctedOutput", "{\"name\":\"x\",\"arguments\":{}}",
                "toolName", "refund"));
        assertThat(typed.correction(views).get("name").asText()).isEqualTo("x");
    }

    @Test
    void stepMarks_areReadInOrder_aNoteNeedsAMark_andTheJudgementIsCarriedThroughConfirmation() throws Exception {
        VerdictForm f = new VerdictForm(form("stepVerdict.3", "WRONG", "stepNote.3", " skipped the check ",
                "stepVerdict.1", "OK", "stepVerdict.2", "", "stepNote.2", "", "process", "FLAWED"));
        assertThat(f.steps()).extracting(s -> s.index() + ":" + s.verdict() + ":" + s.note())
                .containsExactly("1:OK:null", "3:WRONG:skipped the check");
        assertThat(f.process()).isEqualTo("FLAWED");
        assertThat(f.judgementFields()).extracting(VerdictForm.Carried::name)
                .containsExactlyInAnyOrder("stepVerdict.3", "stepNote.3", "stepVerdict.1", "process");
        VerdictForm noteOnly = new VerdictForm(form("stepNote.4", "why?"));
        assertThatThrownBy(noteOnly::steps).isInstanceOf(VerdictForm.Unreadable.class).hasMessageContaining("Step 4");
        assertThat(new VerdictForm(form("process", "MAYBE")).process()).isNull();
    }
}
