"""The pages of the main window, one module each; each is built from a ShellContext."""
