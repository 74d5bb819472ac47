"""The automatic audit: tests, security scan and signals for a whole task file, and a
baseline report (Markdown, self-contained HTML, JSON) of what the machines can tell
before any human looks. Every step stores its results, so an interrupted audit resumes
cheaply: a second run answers from the store what the first one finished.
"""

from coderlhf_tui.audit.run import AuditOptions, AuditResult, run_audit

__all__ = ["AuditOptions", "AuditResult", "run_audit"]
