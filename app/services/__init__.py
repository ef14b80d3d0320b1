"""Use cases: open a unit of work, load, call domain rules, persist (audited), return plain rows.

Every call takes a `workspace.Workspace` (the unlocked database, study definition and clock) and,
when someone acts, the `auth.UserSession`; it checks the permission (`permissions.PERMISSIONS`),
returns frozen dataclasses (never ORM objects) and raises `errors.ServiceError` subclasses whose
`code` the UI translates. Foundation modules (issue 2):

- site_setup: setup_site, unlock_from_keyring, unlock_with_recovery_code, remember_key_in_keyring,
  site_info; backup: backup_site, restore_site, latest_backup_of
- auth: login, reauthenticate, logout, switch_user, change_own_password; idle: IdleLock
- users, settings, permissions, passwords
- subjects: list_subjects, create_subject, subject_overview, subject_identity, update_identity
- forms: load_form, validate_values, save_form; signatures: sign_form, form_signatures
- audit_trail: audit_rows, verify_audit, clock_warning; demo: create_demo_site

`_uow.unit_of_work` / `_uow.acting_user` and `_records` are the shared helpers other service
modules build on (audit context set, acting user re-checked on every call).
"""
