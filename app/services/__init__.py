"""Use cases: open a unit of work, load, call domain rules, persist (audited), return plain rows."""
