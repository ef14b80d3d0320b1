"""The import's bulk shortcuts change nothing a package means: ItemData of a huge ItemGroupData are
freed in runs as they are handled (not all at the group's end) and every one is still applied in
order; the cyclic garbage collector, paused while a package is applied, is back as it was after an
import, a refusal, or a pause that found it already off."""

from __future__ import annotations

import gc
import re

import pytest
from sqlalchemy import func, select

from app.sync.center_import import import_package
from app.sync.errors import SyncRejected
from app.sync.gc_pause import cyclic_gc_paused
from db.models import ItemData
from tests.sync.craft import reseal
from tests.sync.sitegen import T0
from tests.sync.test_rejections import Scene, fresh_scene  # noqa: F401 - fixture

N_COPIES = 600  # > the reader's release run (256): the group is freed in parts while read


def _with_huge_group(odm: str) -> str:
    """Package 2's first ItemData repeated N_COPIES times in its group as new items (Upsert)."""
    match = re.search(r"<ItemData .*?</ItemData>", odm, flags=re.DOTALL)
    assert match is not None
    item = re.sub(r'TransactionType="\w+"', 'TransactionType="Upsert"', match.group(0), count=1)
    copies = "".join(
        re.sub(r'ItemOID="[^"]*"', f'ItemOID="IT.BULK.{n:04d}"', item, count=1)
        for n in range(N_COPIES)
    )
    return odm[: match.end()] + copies + odm[match.end() :]


def test_a_huge_item_group_is_applied_whole(fresh_scene: Scene) -> None:  # noqa: F811
    scene = fresh_scene
    odm = _with_huge_group(scene.odm.decode()).encode()
    data = reseal(odm, scene.manifest, scene.site_key, scene.keys.public, scene.work / "big.stx")
    assert gc.isenabled()
    outcome = import_package(scene.center, data, scene.keys.private, T0)
    assert gc.isenabled()
    assert outcome.status == "applied"
    with scene.center.session() as s:
        oids = s.scalars(select(ItemData.item_oid).where(ItemData.item_oid.like("IT.BULK.%"))).all()
        assert sorted(oids) == [f"IT.BULK.{n:04d}" for n in range(N_COPIES)]
        assert s.scalar(select(func.count(ItemData.id))) >= N_COPIES


def test_the_collector_is_restored_after_a_refusal(fresh_scene: Scene) -> None:  # noqa: F811
    scene = fresh_scene
    odm = scene.odm.replace(b"<ItemData ", b"<ItemDatum ", 1).replace(
        b"</ItemData>", b"</ItemDatum>", 1
    )
    data = reseal(odm, scene.manifest, scene.site_key, scene.keys.public, scene.work / "bad.stx")
    with pytest.raises(SyncRejected):
        import_package(scene.center, data, scene.keys.private, T0)
    assert gc.isenabled()


def test_a_pause_keeps_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
