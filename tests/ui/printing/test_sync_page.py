"""The data-center page: center key, export into a folder, status, acknowledgement, 30-day warning."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from tests.ui.conftest import wait_for
from ui.sync_page import SyncPage


def _page(qtbot, runner, context) -> SyncPage:
    page = SyncPage(context)
    qtbot.addWidget(page)
    page.resize(860, 560)
    page.show()
    page.reload()
    wait_for(qtbot, runner)
    return page


def _center_keys(tmp_path: Path) -> Path:
    from app.sync.keys import generate_center_keys

    generate_center_keys(tmp_path / "center", None)
    return tmp_path / "center"


def _import_key(qtbot, runner, page: SyncPage, center: Path, monkeypatch) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(center / "center-public.json"), "")
    )
    page.center_key_button.click()
    wait_for(qtbot, runner)


def _export(qtbot, runner, page: SyncPage, folder: Path, monkeypatch):
    folder.mkdir(exist_ok=True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(page.exported, timeout=20_000) as exported:
        page.export_button.click()
        assert page.progress.isVisible()  # shown while the package is written
    wait_for(qtbot, runner)
    return exported.args[0]


def test_export_writes_a_package_into_the_folder_and_shows_the_status(
    qtbot, runner, site, admin, make_context, tmp_path, monkeypatch
) -> None:
    page = _page(qtbot, runner, make_context(site.workspace, admin))
    assert page.last_export.text() == "no package exported yet"
    assert page.last_ack.text() == "none received yet"
    assert page.center_key.text().startswith("not imported yet")

    _import_key(qtbot, runner, page, _center_keys(tmp_path), monkeypatch)
    fingerprint = page.result.text().splitlines()[1]
    assert (
        page.result.text().startswith("Data-center key imported.") and len(fingerprint.split()) == 8
    )
    assert page.center_key.text() == f"fingerprint {fingerprint}"  # kept on the page to compare

    usb = tmp_path / "usb"
    result = _export(qtbot, runner, page, usb, monkeypatch)

    assert [p.name for p in usb.iterdir()] == ["SEQTX-FD-000001.stx"]
    assert result.sequence == 1
    assert page.result.text().startswith(f"Package 1 written: SEQTX-FD-000001.stx\nin {usb}\n")
    assert "with the study definition" in page.result.text()
    assert not page.progress.isVisible()
    assert page.last_export.text().startswith("package 1, 2026-11-24")
    assert page.pending.text() == "1 package(s): 1"
    assert not page.warning.isVisible()
    page.grab().save(str(tmp_path / "sync_page.png"))


def test_export_before_the_center_key_says_what_to_do(
    qtbot, runner, site, admin, make_context, tmp_path, monkeypatch
) -> None:
    page = _page(qtbot, runner, make_context(site.workspace, admin))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    page.export_button.click()
    wait_for(qtbot, runner)

    assert "public key has not been imported yet" in page.result.text()
    assert list(tmp_path.glob("*.stx")) == []
    assert page.export_button.isEnabled()


def test_acknowledgement_clears_the_pending_packages(
    qtbot, runner, site, admin, make_context, tmp_path, monkeypatch
) -> None:
    from app.sync.ack import Acknowledgement, AckPackage, sign_ack
    from app.sync.keys import load_center_private_keys

    page = _page(qtbot, runner, make_context(site.workspace, admin))
    center = _center_keys(tmp_path)
    _import_key(qtbot, runner, page, center, monkeypatch)
    result = _export(qtbot, runner, page, tmp_path / "usb", monkeypatch)
    ack = Acknowledgement(
        site="FD",
        created_at="2026-11-25T08:00:00Z",
        sequence_reached=1,
        packages=(AckPackage(1, result.file_oid, result.sha256, "applied"),),
        queries=(),
        open_conflicts=0,
    )
    ack_file = tmp_path / "ack.sta"
    ack_file.write_bytes(sign_ack(ack, load_center_private_keys(center, None).ed25519))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(ack_file), ""))

    page.ack_button.click()
    wait_for(qtbot, runner)

    assert page.result.text() == "1 package(s) newly acknowledged; packages up to 1 received."
    assert page.pending.text() == "none"
    assert page.last_ack.text().endswith("packages up to 1 received")


def test_a_forged_acknowledgement_is_refused(
    qtbot, runner, site, admin, make_context, tmp_path, monkeypatch
) -> None:
    page = _page(qtbot, runner, make_context(site.workspace, admin))
    _import_key(qtbot, runner, page, _center_keys(tmp_path), monkeypatch)
    forged = tmp_path / "forged.sta"
    forged.write_bytes(b"SEQTXACK\x01" + b"\x00" * 80)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(forged), ""))

    page.ack_button.click()
    wait_for(qtbot, runner)

    assert "Nothing" in page.result.text() or "not an acknowledgement" in page.result.text()


def test_warning_when_nothing_acknowledged_for_30_days(
    qtbot, runner, site, admin, make_context, clock, tmp_path, monkeypatch
) -> None:
    page = _page(qtbot, runner, make_context(site.workspace, admin))
    _import_key(qtbot, runner, page, _center_keys(tmp_path), monkeypatch)
    _export(qtbot, runner, page, tmp_path / "usb", monkeypatch)
    assert not page.warning.isVisible()

    clock.advance(timedelta(days=31))
    page.reload()
    wait_for(qtbot, runner)

    assert page.warning.isVisible()
    assert "acknowledged nothing for 31 day(s) (warning after 30 days)" in page.warning.text()
    assert (
        page.status.last_export_at.tzinfo is not None
        and page.status.last_export_at < clock.now().astimezone(UTC)
    )
    page.grab().save(str(tmp_path / "sync_warning.png"))


def test_save_site_public_key(
    qtbot, runner, site, admin, make_context, tmp_path, monkeypatch
) -> None:
    page = _page(qtbot, runner, make_context(site.workspace, admin))
    target = tmp_path / "site-key.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.site_key_button.click()
    wait_for(qtbot, runner)

    assert target.read_bytes().startswith(b"{")
    assert page.result.text().startswith(f"Site public key saved as {target}. Fingerprint:")


def test_roles_without_sync_permission_cannot_export(
    qtbot, runner, site, admin, make_context
) -> None:
    from app.services.auth import login
    from app.services.permissions import Role
    from app.services.users import create_user
    from tests.ui.conftest import NURSE_PASSWORD

    create_user(site.workspace, admin, "nina", "Nina Nurse", Role.NURSE, NURSE_PASSWORD)
    page = _page(
        qtbot, runner, make_context(site.workspace, login(site.workspace, "nina", NURSE_PASSWORD))
    )

    assert not page.export_button.isEnabled() and not page.ack_button.isEnabled()
    assert page.last_export.text() == "no package exported yet"  # the status is still shown
