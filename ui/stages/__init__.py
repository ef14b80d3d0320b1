"""Stage and form screens of the ward workflow (issue 4): one module per screen.

Each module registers its page factories at import with ui.form_registry.register_form_page /
register_stage_page; ui.form_registry imports every module of this package on first use.
"""
