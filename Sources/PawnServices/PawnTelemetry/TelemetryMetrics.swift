import PawnLog

/// What every service's `/metrics` says of its own log and tracer.
public enum TelemetryMetrics {
    /// Log lines dropped, and spans exported, dropped and lost to failed exports, since start:
    /// (name, help, value) for `Metrics.render(gauges:series:)` of PawnMetrics.
    public static var gauges: [(String, String, Double)] {
        let spans = Tracer.statistics
        return [
            (
                "pawnshop_log_lines_dropped_total",
                "Log lines dropped since start because standard output did not keep up.",
                Double(Log.droppedLines)
            ),
            (
                "pawnshop_spans_exported_total", "Spans exported over OTLP since start.",
                Double(spans.exported)
            ),
            (
                "pawnshop_spans_dropped_total",
                "Finished spans dropped since start because the export queue was full.", Double(spans.dropped)
            ),
            (
                "pawnshop_span_exports_failed_total",
                "Spans lost since start because their OTLP export failed.",
                Double(spans.failed)
            ),
        ]
    }
}
