"""The protocol and every clinical rule, as pure Python (standard library only, clock passed in)."""
