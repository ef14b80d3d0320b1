"""PySide6 screens, dialogs and table models. Talks to app.services only."""
