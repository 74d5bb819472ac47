"""Quality for leads and buyers: agreement statistics, annotator and gold figures, the
disagreement queue, spot-checks, the QA report, the data card and the annotation guide.

No Textual here: the lead screen, the CLI and the exporter are clients. docs/quality.md
describes the statistics and the report's keys.
"""
