"""ReportLab rendering of case report forms from the study definition and values (no DB access)."""
