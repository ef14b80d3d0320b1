"""Sync with the data center: ODM 1.3.2 writing/reading, package crypto, the center's import tool."""
