package dev.oversight.console.rest;

import java.util.List;
import java.util.Locale;

/**
 * Estimates with their 95% intervals, one row each, on a shared 0–100% axis (a forest plot): a dot at the estimate and
 * a bar across the interval, so that people see at a glance where intervals overlap. Drawn on the server as SVG; each
 * row also carries its figures as text (its title, for screen readers and hover).
 */
final class IntervalChart {

    /** One row: its label, the estimate and interval (shares in [0, 1]) and its kind (a CSS class). */
    record Row(String label, double estimate, double lower, double upper, long n, String kind) {
    }

    private static final int LABEL_WIDTH = 230;
    private static final int PLOT_WIDTH = 380;
    private static final int ROW_HEIGHT = 22;
    private static final int TOP = 10;
    private static final int BOTTOM = 30;

    private IntervalChart() {
    }

    static String svg(String id, String title, List<Row> rows) {
        int height = TOP + rows.size() * ROW_HEIGHT + BOTTOM;
        int width = LABEL_WIDTH + PLOT_WIDTH + 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
                + " width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"%s-title\" class=\"intervals\">"
                + "<title id=\"%s-title\">%s</title>", width, height, width, height, id, id, Views.escape(title)));
        double bottom = TOP + rows.size() * ROW_HEIGHT;
        for (int t = 0; t <= 4; t++) {
            double x = LABEL_WIDTH + t / 4.0 * PLOT_WIDTH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%d%%</text>",
                    x, TOP, x, bottom, x, bottom + 16, t * 25));
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double y = TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2.0;
            svg.append(String.format(Locale.ROOT, "<g class=\"%s\"><title>%s: %.1f%% (95%% %.1f%%–%.1f%%, n=%d)</title>"
                            + "<text x=\"%d\" y=\"%.1f\" class=\"label\" text-anchor=\"end\">%s</text>"
                            + "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"interval\"/>"
                            + "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" class=\"estimate\"/></g>",
                    Views.escape(r.kind()), Views.escape(r.label()), 100 * r.estimate(), 100 * r.lower(),
                    100 * r.upper(), r.n(), LABEL_WIDTH - 8, y + 4, Views.escape(r.label()), x(r.lower()), y,
                    x(r.upper()), y, x(r.estimate()), y));
        }
        return svg.append("</svg>").toString();
    }

    private static double x(double share) {
        return LABEL_WIDTH + Math.max(0, Math.min(1, share)) * PLOT_WIDTH;
    }
}
