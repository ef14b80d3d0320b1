"""SeqTx: ward application of trial NCT03835312 (sequential cord blood and islet transplantation)."""

__version__ = "0.1.0"
