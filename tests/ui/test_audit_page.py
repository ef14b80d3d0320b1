"""The audit viewer shows the rows of a record and checks the hash chain."""

from __future__ import annotations

from tests.ui.conftest import wait_for
from ui.pages.audit_page import AuditPage


def test_audit_rows_are_shown_and_filtered_and_chain_verified(
    qtbot, runner, site, admin, make_context
):
    page = AuditPage(make_context(site.workspace, admin))
    qtbot.addWidget(page)
    page.show()
    page.reload()
    wait_for(qtbot, runner)

    actions = [page.model.data(page.model.index(r, 2)) for r in range(page.model.rowCount())]
    assert page.model.rowCount() >= 2  # site set-up and the administrator's login at least
    assert "Logged in" in actions
    assert "audit record(s)" in page.status.text()

    page.show_prefix("no-such-record/")
    wait_for(qtbot, runner)
    assert page.model.rowCount() == 0

    page.verify_button.click()
    wait_for(qtbot, runner)
    assert page.status.text().startswith("The audit trail is intact")
    assert page.status.objectName() == "ok"
