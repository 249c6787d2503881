package dev.oversight.console.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff by longest common subsequence: what a reader needs to compare two policy versions or a correction with
 * the model's output. Quadratic in lines, so it refuses texts over {@link #MAX_LINES} lines (those are shown whole).
 */
public final class LineDiff {

    public static final int MAX_LINES = 3000;

    public enum Kind { SAME, REMOVED, ADDED }

    public record Line(Kind kind, String text) {
        public String sign() {
            return switch (kind) {
                case SAME -> " ";
                case REMOVED -> "-";
                case ADDED -> "+";
            };
        }
    }

    private LineDiff() {
    }

    public static List<Line> diff(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        if (a.length > MAX_LINES || b.length > MAX_LINES) {
            throw new IllegalArgumentException("texts over " + MAX_LINES + " lines are not compared line by line");
        }
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Line> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i].equals(b[j])) {
                out.add(new Line(Kind.SAME, a[i++]));
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                out.add(new Line(Kind.REMOVED, a[i++]));
            } else {
                out.add(new Line(Kind.ADDED, b[j++]));
            }
        }
        while (i < a.length) {
            out.add(new Line(Kind.REMOVED, a[i++]));
        }
        while (j < b.length) {
            out.add(new Line(Kind.ADDED, b[j++]));
        }
        return out;
    }

    public static boolean changed(List<Line> diff) {
        return diff.stream().anyMatch(l -> l.kind() != Kind.SAME);
    }
}
