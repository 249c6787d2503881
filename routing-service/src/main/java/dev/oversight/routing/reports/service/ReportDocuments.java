package dev.oversight.routing.reports.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import dev.oversight.routing.reports.repository.ReportRepository.Report;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.IntervalBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.category.DefaultIntervalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A report rendered for people: PDF (OpenPDF, the charts drawn by JFreeChart: the rates' intervals, routes per day
 * and the reliability diagram) or HTML. Both show the same sections
 * from the report's frozen data, and end with how to verify it: the SHA-256 of that data and the receipt of its
 * REPORT_ISSUED event. The PDF also carries both as attached files ({@code report.json}, {@code report.tlog-proof}), so
 * the document alone is the evidence.
 */
@ApplicationScoped
public class ReportDocuments {

    private static final String[] PROPORTIONS = {"interventionRate", "overrideRate", "releasesReversed",
            "escalationPrecision", "underEscalation", "processFlawRate"};
    private static final String[] LABELS = {"Interventions (review or block)", "Reviewed outputs found wrong",
            "Released outputs reversed", "Escalation precision (escalated and wrong)",
            "Under-escalation (released and wrong, audit sample)", "Agent runs with a flawed process"};

    /** Characters of a receipt line printed per PDF line (base64 has no spaces to break at). */
    static final int RECEIPT_WIDTH = 110;

    private final ObjectMapper json;

    public ReportDocuments(ObjectMapper json) {
        this.json = json;
    }

    public byte[] pdf(ReportService.Receipted r) {
        JsonNode d = data(r.report());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 48, 48, 48, 48);
        try {
            PdfWriter writer = PdfWriter.getInstance(doc, out);
            // A chart that does not fit the page moves to the next with what follows it, never past later text.
            writer.setStrictImageSequence(true);
            doc.addTitle("Oversight report: " + d.path("useCase").asText());
            doc.addCreator("Oversight");
            doc.open();
            Font h1 = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 16);
            Font h2 = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 12);
            Font body = FontFactory.getFont(FontFactory.HELVETICA, 9);
            Font mono = FontFactory.getFont(FontFactory.COURIER, 6.5f);
            doc.add(new Paragraph("Oversight report: " + d.path("useCase").asText(), h1));
            doc.add(new Paragraph(period(d), body));
            doc.add(new Paragraph("Issued " + d.path("issuedAt").asText() + " by " + d.path("issuedBy").asText()
                    + "; report " + d.path("report").asText(), body));

            doc.add(heading("Oversight figures (95% intervals)", h2));
            JsonNode f = d.path("figures");
            PdfPTable figures = table(body, "Figure", "Estimate", "95% interval", "n");
            row(figures, body, "Decisions", f.path("volume").asText(), "", "");
            for (String route : List.of("RELEASE", "REVIEW", "BLOCK")) {
                proportion(figures, body, "Routed " + route, f.path("routes").path(route));
            }
            for (int i = 0; i < PROPORTIONS.length; i++) {
                proportion(figures, body, LABELS[i], f.path(PROPORTIONS[i]));
            }
            JsonNode review = f.path("review");
            row(figures, body, "Reviews decided", review.path("decided").asText(), "", "");
            row(figures, body, "Review latency p50 / p95 (s)", seconds(review.path("latencySecondsP50")) + " / "
                    + seconds(review.path("latencySecondsP95")), "", "");
            row(figures, body, "SLA breaches / expired", review.path("slaBreaches").asText() + " / "
                    + review.path("expired").asText(), "", "");
            JsonNode cal = f.path("calibration");
            if (!cal.isMissingNode() && !cal.isNull()) {
                row(figures, body, "Calibration ECE (v" + cal.path("calibratorVersion").asText() + ", "
                        + cal.path("method").asText() + ")", number(cal.path("ece")), interval(cal.path("eceInterval")),
                        cal.path("labels").asText());
            }
            doc.add(figures);
            Image intervals = Image.getInstance(ratesChart(f));
            intervals.scaleToFit(500, 220);
            doc.add(intervals);

            doc.add(heading("Routes per day", h2));
            Image chart = Image.getInstance(chart(d.path("daily")));
            chart.scaleToFit(500, 250);
            doc.add(chart);

            roomFor(doc, writer, 290);
            doc.add(heading("Interventions, findings and agreement per day", h2));
            doc.add(new Paragraph(DAILY_RATES_TEXT, body));
            Image rates = Image.getInstance(dailyRatesChart(d.path("dailyOversight")));
            rates.scaleToFit(500, 210);
            doc.add(rates);
            roomFor(doc, writer, 250);
            doc.add(heading("Review latency per day", h2));
            Image latency = Image.getInstance(latencyChart(d.path("dailyOversight")));
            latency.scaleToFit(500, 210);
            doc.add(latency);

            roomFor(doc, writer, 340);
            doc.add(heading("Reliability of the calibrated confidence", h2));
            if (d.path("reliability").isEmpty()) {
                doc.add(new Paragraph("No labels arrived in the period after the calibrator in force was fitted.",
                        body));
            } else {
                Image reliability = Image.getInstance(reliabilityChart(d.path("reliability")));
                reliability.scaleToFit(300, 300);
                doc.add(reliability);
            }

            doc.add(heading("Reviewers", h2));
            PdfPTable load = table(body, "Reviewer", "Verdicts");
            for (JsonNode l : f.path("reviewerLoad")) {
                row(load, body, l.path("reviewer").asText(), l.path("verdicts").asText());
            }
            doc.add(load);
            doc.add(heading("Reliance on the model (over-reliance)", h2));
            JsonNode reliance = d.path("overReliance");
            if (reliance.path("available").asBoolean(true)) {
                doc.add(new Paragraph(RELIANCE_TEXT, body));
                PdfPTable relying = table(body, RELIANCE_HEADERS);
                for (JsonNode r2 : reliance.path("items")) {
                    row(relying, body, relianceRow(r2));
                }
                doc.add(relying);
            } else {
                doc.add(new Paragraph("Not available: " + reliance.path("why").asText() + ".", body));
            }

            doc.add(heading("Policies in force", h2));
            PdfPTable policies = table(body, "Version", "Created", "By", "Approval");
            for (JsonNode p : d.path("policies")) {
                row(policies, body, "v" + p.path("version").asText(), p.path("createdAt").asText(),
                        p.path("createdBy").asText(""), p.path("approval").asText("") + " "
                        + p.path("approvedBy").asText(""));
            }
            doc.add(policies);
            doc.add(heading("Calibrators in force", h2));
            PdfPTable calibrators = table(body, "Version", "Method", "Activated", "Error-rate bound");
            for (JsonNode k : d.path("calibrators")) {
                row(calibrators, body, "v" + k.path("version").asText(), k.path("method").asText(),
                        k.path("activatedAt").asText(""), number(k.path("errorRateUpperBound")));
            }
            doc.add(calibrators);
            doc.add(heading("Mode changes", h2));
            PdfPTable modes = table(body, "When", "Mode", "By", "Why");
            for (JsonNode m : d.path("modeChanges")) {
                row(modes, body, m.path("changedAt").asText(), m.path("mode").asText(), m.path("changedBy").asText(""),
                        m.path("reason").asText(""));
            }
            doc.add(modes);
            doc.add(heading("Overrides, drift alarms and serious incidents", h2));
            doc.add(new Paragraph(d.path("overrides").size() + " released outputs reversed; "
                    + d.path("driftAlarms").size() + " drift alarms; " + d.path("incidents").size()
                    + " serious incidents.", body));
            PdfPTable incidents = table(body, "Incident", "Severity", "Aware", "Status");
            for (JsonNode i : d.path("incidents")) {
                row(incidents, body, i.path("id").asText(), i.path("severity").asText(), i.path("awareAt").asText(),
                        i.path("status").asText());
            }
            doc.add(incidents);

            doc.add(heading("How to verify this report", h2));
            doc.add(new Paragraph("What this report states is the attached report.json (RFC 8785 canonical JSON), SHA-256 "
                    + r.report().sha256() + ". The attached report.tlog-proof is the receipt of its REPORT_ISSUED event"
                    + " in the audit log, which names that digest: check it offline with the log's vkey (verify"
                    + " --receipt report.tlog-proof --log-vkey <vkey>), then compare the digest with the SHA-256 of"
                    + " report.json.", body));
            doc.add(new Paragraph("The receipt, its long lines wrapped at " + RECEIPT_WIDTH + " characters (the attached"
                    + " file is exact):", body));
            doc.add(new Paragraph(wrapped(r.receipt()), mono));
            writer.addFileAttachment("What this report states (RFC 8785 canonical JSON)",
                    r.report().data().getBytes(StandardCharsets.UTF_8), null, "report.json");
            writer.addFileAttachment("Receipt of the REPORT_ISSUED audit event (C2SP tlog-proof)",
                    r.receipt().getBytes(StandardCharsets.UTF_8), null, "report.tlog-proof");
            doc.close();
        } catch (DocumentException | IOException e) {
            throw new IllegalStateException("The report could not be rendered as PDF", e);
        }
        return out.toByteArray();
    }

    public String html(ReportService.Receipted r) {
        JsonNode d = data(r.report());
        JsonNode f = d.path("figures");
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc("Oversight report: " + d.path("useCase").asText())).append("</title></head><body><main>")
                .append("<h1>").append(esc("Oversight report: " + d.path("useCase").asText())).append("</h1><p>")
                .append(esc(period(d))).append("; issued ").append(esc(d.path("issuedAt").asText())).append(" by ")
                .append(esc(d.path("issuedBy").asText())).append("</p><h2>Oversight figures</h2><table><caption>")
                .append("Estimates with 95% intervals</caption><thead><tr><th scope=\"col\">Figure</th>")
                .append("<th scope=\"col\">Estimate</th><th scope=\"col\">95% interval</th><th scope=\"col\">n</th>")
                .append("</tr></thead><tbody>");
        h.append("<tr><td>Decisions</td><td>").append(f.path("volume").asText()).append("</td><td></td><td></td></tr>");
        for (String route : List.of("RELEASE", "REVIEW", "BLOCK")) {
            htmlProportion(h, "Routed " + route, f.path("routes").path(route));
        }
        for (int i = 0; i < PROPORTIONS.length; i++) {
            htmlProportion(h, LABELS[i], f.path(PROPORTIONS[i]));
        }
        h.append("</tbody></table><img alt=\"The rates' 95% intervals\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(ratesChart(f))).append("\">");
        h.append("<h2>Routes per day</h2><img alt=\"Decisions per day by route\" src=\"data:image/png;")
                .append("base64,").append(Base64.getEncoder().encodeToString(chart(d.path("daily")))).append("\">");
        h.append("<h2>Interventions, findings and agreement per day</h2><p>").append(esc(DAILY_RATES_TEXT))
                .append("</p><img alt=\"Per day: the share of decisions sent to people or blocked, the share of reviewed")
                .append(" outputs found wrong, and the share of decisions judged by several people that they judged")
                .append(" alike\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(dailyRatesChart(d.path("dailyOversight")))).append("\">");
        h.append("<h2>Review latency per day</h2><img alt=\"Per day: median and 95th percentile of the time from")
                .append(" decision to outcome of reviewed decisions\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(latencyChart(d.path("dailyOversight")))).append("\">");
        JsonNode reliance = d.path("overReliance");
        h.append("<h2>Reliance on the model (over-reliance)</h2>");
        if (reliance.path("available").asBoolean(true)) {
            h.append("<p>").append(esc(RELIANCE_TEXT)).append("</p><table><thead><tr>");
            for (String header : RELIANCE_HEADERS) {
                h.append("<th scope=\"col\">").append(esc(header)).append("</th>");
            }
            h.append("</tr></thead><tbody>");
            for (JsonNode r2 : reliance.path("items")) {
                h.append("<tr>");
                for (String cell : relianceRow(r2)) {
                    h.append("<td>").append(esc(cell)).append("</td>");
                }
                h.append("</tr>");
            }
            h.append("</tbody></table>");
        } else {
            h.append("<p>Not available: ").append(esc(reliance.path("why").asText())).append(".</p>");
        }
        if (!d.path("reliability").isEmpty()) {
            h.append("<h2>Reliability of the calibrated confidence</h2><img alt=\"Reliability diagram: calibrated")
                    .append(" confidence against the share people found correct\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(reliabilityChart(d.path("reliability")))).append("\">");
        }
        h.append("<h2>In force and changed</h2><ul><li>Policies: ").append(versions(d.path("policies")))
                .append("</li><li>Calibrators: ").append(versions(d.path("calibrators"))).append("</li><li>")
                .append(d.path("modeChanges").size()).append(" mode changes, ").append(d.path("overrides").size())
                .append(" released outputs reversed, ").append(d.path("driftAlarms").size()).append(" drift alarms, ")
                .append(d.path("incidents").size()).append(" serious incidents</li></ul>");
        h.append("<h2>How to verify this report</h2><p>What it states hashes to SHA-256 <code>")
                .append(r.report().sha256()).append("</code> (the canonical JSON at <code>?format=json</code>); the")
                .append(" receipt below proves the REPORT_ISSUED event naming that digest is in the audit log.</p><pre>")
                .append(esc(r.receipt())).append("</pre></main></body></html>");
        return h.toString();
    }

    /** Decisions per day, stacked by route. */
    byte[] chart(JsonNode daily) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (JsonNode day : daily) {
            for (String route : List.of("RELEASE", "REVIEW", "BLOCK")) {
                data.addValue(day.path(route).asLong(), route, day.path("day").asText());
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(null, "Day (UTC)", "Decisions", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        // Blue, orange and dark grey stay apart for readers with any common colour-vision deficiency.
        var renderer = chart.getCategoryPlot().getRenderer();
        renderer.setSeriesPaint(0, new Color(0x0072B2));
        renderer.setSeriesPaint(1, new Color(0xE69F00));
        renderer.setSeriesPaint(2, new Color(0x333333));
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        return png(chart, 1000, 500);
    }

    static final String RELIANCE_TEXT = "Per reviewer, as the review service measured the period: approvals where"
            + " the routing details were shown against blind ones (automation bias shows as a gap), approvals given"
            + " faster than the dwell floor, and approvals of outputs later overturned; flags name the use case's limits"
            + " exceeded.";
    static final String[] RELIANCE_HEADERS = {"Reviewer", "Verdicts", "Approved, shown", "Approved, blind",
        "Fast approvals", "Approvals overturned", "Flags"};

    static String[] relianceRow(JsonNode r) {
        return new String[] {r.path("reviewer").asText(), r.path("verdicts").asText(), counted(r.path("approvalShown")),
            counted(r.path("approvalBlind")), counted(r.path("fastApprovals")), counted(r.path("approvalsOverturned")),
            String.join(", ", texts(r.path("flags")))};
    }

    /** "count of n (rate%)" of one of the review service's shares. */
    private static String counted(JsonNode s) {
        return s.path("count").asText("0") + " of " + s.path("of").asText("0")
                + (s.path("rate").isNumber() ? String.format(Locale.ROOT, " (%.1f%%)", 100 * s.path("rate").asDouble())
                : "");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    static final String DAILY_RATES_TEXT = "Each day's share of decisions sent to people or blocked, of reviewed"
            + " outputs that people found wrong (rejected or corrected), and of decisions judged by more than one person"
            + " that everyone judged alike; a day without such decisions has no point. The exact counts are in"
            + " report.json (dailyOversight).";

    /** Per day: intervention rate, reviewed outputs found wrong, agreement among several reviewers (0 to 1). */
    byte[] dailyRatesChart(JsonNode daily) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (JsonNode day : daily) {
            String label = day.path("day").asText();
            data.addValue(share(day, "interventions", "decisions"), "Sent to people or blocked", label);
            data.addValue(share(day, "foundWrong", "reviewsDecided"), "Reviewed outputs found wrong", label);
            data.addValue(share(day, "agreed", "judgedByMoreThanOne"), "Reviewers agreed", label);
        }
        JFreeChart chart = ChartFactory.createLineChart(null, "Day (UTC)", "Share", data, PlotOrientation.VERTICAL,
                true, false, false);
        return styledLines(chart, 0, 1.0);
    }

    /**
     * Per day: the median and the 95th percentile of review latency, in seconds, minutes or hours (whichever keeps the
     * longest under 120 of them).
     */
    byte[] latencyChart(JsonNode daily) {
        double longest = 0;
        for (JsonNode day : daily) {
            longest = Math.max(longest, day.path("latencySecondsP95").asDouble(0));
        }
        double unit = longest < 120 ? 1 : longest < 7200 ? 60 : 3600;
        String name = unit == 1 ? "Seconds" : unit == 60 ? "Minutes" : "Hours";
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (JsonNode day : daily) {
            String label = day.path("day").asText();
            data.addValue(in(day.path("latencySecondsP50"), unit), "Median", label);
            data.addValue(in(day.path("latencySecondsP95"), unit), "95th percentile", label);
        }
        JFreeChart chart = ChartFactory.createLineChart(null, "Day (UTC)", name + " from decision to outcome", data,
                PlotOrientation.VERTICAL, true, false, false);
        return styledLines(chart, 0, null);
    }

    private static Double share(JsonNode day, String count, String of) {
        long n = day.path(of).asLong();
        return n == 0 ? null : (double) day.path(count).asLong() / n;
    }

    private static Double in(JsonNode seconds, double unit) {
        return seconds.isNumber() ? seconds.asDouble() / unit : null;
    }

    /** Lines with a mark at every point (a day alone still shows), in colours readers with colour-vision deficiency tell apart. */
    private static byte[] styledLines(JFreeChart chart, double lower, Double upper) {
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        var renderer = new org.jfree.chart.renderer.category.LineAndShapeRenderer(true, true);
        Color[] colours = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73)};
        for (int i = 0; i < colours.length; i++) {
            renderer.setSeriesPaint(i, colours[i]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setNumberFormatOverride(new java.text.DecimalFormat("0.##"));
        range.setLowerBound(lower);
        if (upper != null) {
            range.setUpperBound(upper * 1.03); // a point at the bound stays visible
        }
        return png(chart, 1000, 500);
    }

    /** The oversight rates' 95% intervals side by side, each bar spanning its interval. */
    byte[] ratesChart(JsonNode figures) {
        String[] labels = new String[PROPORTIONS.length];
        Number[][] starts = new Number[1][PROPORTIONS.length];
        Number[][] ends = new Number[1][PROPORTIONS.length];
        for (int i = 0; i < PROPORTIONS.length; i++) {
            labels[i] = LABELS[i];
            starts[0][i] = figures.path(PROPORTIONS[i]).path("lower").asDouble(0);
            ends[0][i] = figures.path(PROPORTIONS[i]).path("upper").asDouble(1);
        }
        DefaultIntervalCategoryDataset data = new DefaultIntervalCategoryDataset(new String[] {"95% interval"},
                labels, starts, ends);
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(), new NumberAxis("Share"),
                new IntervalBarRenderer());
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.getRangeAxis().setRange(0, 1);
        plot.getRenderer().setSeriesPaint(0, new Color(0x0072B2));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return png(chart, 1000, 440);
    }

    /** Mean calibrated confidence against the share found correct per bin, beside the diagonal of perfect calibration. */
    byte[] reliabilityChart(JsonNode bins) {
        XYSeries observed = new XYSeries("Labelled outputs per bin");
        for (JsonNode b : bins) {
            if (b.path("count").asInt() > 0 && b.path("meanConfidence").isNumber()) {
                observed.add(b.path("meanConfidence").asDouble(), b.path("accuracy").asDouble());
            }
        }
        XYSeries perfect = new XYSeries("Perfectly calibrated");
        perfect.add(0, 0);
        perfect.add(1, 1);
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(observed);
        data.addSeries(perfect);
        JFreeChart chart = ChartFactory.createXYLineChart(null, "Calibrated confidence", "Share found correct", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getDomainAxis().setRange(0, 1);
        plot.getRangeAxis().setRange(0, 1);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesPaint(0, new Color(0x0072B2));
        renderer.setSeriesPaint(1, new Color(0x999999));
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {4f, 4f}, 0f));
        plot.setRenderer(renderer);
        return png(chart, 600, 600);
    }

    private static byte[] png(JFreeChart chart, int width, int height) {
        BufferedImage image = chart.createBufferedImage(width, height);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new IllegalStateException("A chart in memory always encodes as PNG", e);
        }
        return png.toByteArray();
    }

    private JsonNode data(Report r) {
        try {
            return json.readTree(r.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored report always parses", e);
        }
    }

    static String wrapped(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            for (int at = 0; at < line.length(); at += RECEIPT_WIDTH) {
                out.append(line, at, Math.min(line.length(), at + RECEIPT_WIDTH)).append('\n');
            }
            if (line.isEmpty()) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String period(JsonNode d) {
        return "Period " + d.path("from").asText() + " to " + d.path("to").asText() + " (UTC)";
    }

    /** A new page unless {@code height} points are left on this one: a chart's heading stays with its chart. */
    private static void roomFor(Document doc, PdfWriter writer, float height) {
        if (writer.getVerticalPosition(true) - doc.bottom() < height) {
            doc.newPage();
        }
    }

    private static Paragraph heading(String text, Font font) {
        Paragraph p = new Paragraph(text, font);
        p.setSpacingBefore(12);
        p.setSpacingAfter(4);
        return p;
    }

    private static PdfPTable table(Font font, String... headers) {
        PdfPTable t = new PdfPTable(headers.length);
        t.setWidthPercentage(100);
        t.setHeaderRows(1);
        for (String h : headers) {
            PdfPCell cell = new PdfPCell(new Phrase(h, font));
            cell.setBackgroundColor(new Color(230, 230, 230));
            t.addCell(cell);
        }
        return t;
    }

    private static void row(PdfPTable t, Font font, String... cells) {
        for (String c : cells) {
            PdfPCell cell = new PdfPCell(new Phrase(new Chunk(c, font)));
            cell.setHorizontalAlignment(Element.ALIGN_LEFT);
            t.addCell(cell);
        }
    }

    private static void proportion(PdfPTable t, Font font, String label, JsonNode p) {
        row(t, font, label, pct(p.path("estimate")), pct(p.path("lower")) + " – " + pct(p.path("upper")),
                p.path("n").asText());
    }

    private static void htmlProportion(StringBuilder h, String label, JsonNode p) {
        h.append("<tr><td>").append(esc(label)).append("</td><td>").append(pct(p.path("estimate"))).append("</td><td>")
                .append(pct(p.path("lower"))).append(" – ").append(pct(p.path("upper"))).append("</td><td>")
                .append(p.path("n").asText()).append("</td></tr>");
    }

    private static String versions(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add("v" + v.path("version").asText()));
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    private static String pct(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.1f%%", v.asDouble() * 100) : "–";
    }

    private static String number(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.4f", v.asDouble()) : "–";
    }

    private static String seconds(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.1f", v.asDouble()) : "–";
    }

    private static String interval(JsonNode v) {
        return v.isArray() && v.size() == 2 ? number(v.get(0)) + " – " + number(v.get(1)) : "";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
