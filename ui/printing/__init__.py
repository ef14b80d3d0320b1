"""Print preview, printing and saving of the paper CRFs (issue 5, "In the app")."""
