package dev.oversight.console.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineDiffTest {

    private static String render(List<LineDiff.Line> diff) {
        StringBuilder s = new StringBuilder();
        diff.forEach(l -> s.append(l.sign()).append(l.text()).append('\n'));
        return s.toString();
    }

    @Test
    void sameTexts_haveNoChange() {
        List<LineDiff.Line> d = LineDiff.diff("a\nb", "a\nb");
        assertThat(LineDiff.changed(d)).isFalse();
        assertThat(render(d)).isEqualTo(" a\n b\n");
    }

    @Test
    void aChangedLine_isRemovedThenAdded_andTheRestStays() {
        assertThat(render(LineDiff.diff("{\n  a: 1,\n  b: 2\n}", "{\n  a: 1,\n  b: 3\n}")))
                .isEqualTo(" {\n   a: 1,\n-  b: 2\n+  b: 3\n }\n");
    }

    @Test
    void insertionsAndDeletions_keepTheLongestCommonPart() {
        // The classic example: ABCABBA against CBABAC has a longest common subsequence of four lines.
        String a = String.join("\n", "A", "B", "C", "A", "B", "B", "A");
        String b = String.join("\n", "C", "B", "A", "B", "A", "C");
        List<LineDiff.Line> d = LineDiff.diff(a, b);
        assertThat(d.stream().filter(l -> l.kind() == LineDiff.Kind.SAME)).hasSize(4);
        assertThat(d.stream().filter(l -> l.kind() != LineDiff.Kind.ADDED).map(LineDiff.Line::text).toList())
                .containsExactly("A", "B", "C", "A", "B", "B", "A");
        assertThat(d.stream().filter(l -> l.kind() != LineDiff.Kind.REMOVED).map(LineDiff.Line::text).toList())
                .containsExactly("C", "B", "A", "B", "A", "C");
    }

    @Test
    void emptyAgainstText_isAllAdded() {
        assertThat(render(LineDiff.diff("", "x\ny"))).isEqualTo("-\n+x\n+y\n");
    }

    @Test
    void hugeTexts_areRefused() {
        String big = "x\n".repeat(LineDiff.MAX_LINES + 1);
        assertThatThrownBy(() -> LineDiff.diff(big, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
