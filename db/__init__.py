"""Persistence: SQLAlchemy models, the SQLCipher engine, keys, audit listener and migrations."""
