"""`make bench`: benchmarks that print figures, targets and ratios to same-run baselines."""
