"""ODM 1.3.2 Study/MetaDataVersion generated from the study definition (app.study.model).

Sent in the first package of a chain and whenever the definition version (MDV OID) changes, so the
data center always knows what the clinical data in a package means.
"""

from __future__ import annotations

from lxml import etree

from app.study.model import Form, Item, Label, StudyDefinition

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ODM_TYPES = {
    "text": "text",
    "integer": "integer",
    "float": "float",
    "date": "date",
    "datetime": "datetime",
    "time": "time",
    "boolean": "boolean",
}


def q(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def unit_oid(ucum: str) -> str:
    """`MU.` + the UCUM code as entered (ODM OIDs are any non-empty string), so it reverses."""
    return "MU." + ucum


def unit_from_oid(oid: str | None) -> str | None:
    return oid[3:] if oid and oid.startswith("MU.") and len(oid) > 3 else oid


def _translated(parent: etree._Element, tag: str, label: Label) -> None:
    holder = etree.SubElement(parent, q(tag))
    for lang, text in (("en", label.en), ("zh", label.zh)):
        if text:
            t = etree.SubElement(holder, q("TranslatedText"))
            t.set(XML_LANG, lang)
            t.text = text


def _item_def(mdv: etree._Element, item: Item, study: StudyDefinition) -> None:
    data_type = _ODM_TYPES.get(item.data_type)
    if item.data_type == "choice" and item.codelist:
        data_type = _ODM_TYPES.get(study.codelists[item.codelist].data_type, "text")
    attrs = {"OID": item.oid, "Name": item.name, "DataType": data_type or "text"}
    if item.length:
        attrs["Length"] = str(item.length)
    if item.decimals is not None and item.data_type == "float":
        attrs["SignificantDigits"] = str(item.decimals)
    el = etree.SubElement(mdv, q("ItemDef"), attrs)
    _translated(el, "Question", item.label)
    if item.unit:
        etree.SubElement(el, q("MeasurementUnitRef"), MeasurementUnitOID=unit_oid(item.unit))
    if item.hard_range is not None:
        for comparator, bound in (("GE", item.hard_range.low), ("LE", item.hard_range.high)):
            if bound is not None:
                rc = etree.SubElement(el, q("RangeCheck"), Comparator=comparator, SoftHard="Hard")
                etree.SubElement(rc, q("CheckValue")).text = f"{bound:g}"
    if item.codelist:
        etree.SubElement(el, q("CodeListRef"), CodeListOID=item.codelist)


def _form_def(mdv: etree._Element, form: Form) -> None:
    el = etree.SubElement(mdv, q("FormDef"), OID=form.oid, Name=form.name, Repeating="No")
    for n, group in enumerate(form.groups, 1):
        etree.SubElement(
            el, q("ItemGroupRef"), ItemGroupOID=group.oid, Mandatory="No", OrderNumber=str(n)
        )


def study_element(study: StudyDefinition) -> etree._Element:
    """The whole `<Study>` element (a few hundred KB at most; built in memory)."""
    root = etree.Element(q("Study"), OID=study.study_oid, nsmap={None: ODM_NS})
    gv = etree.SubElement(root, q("GlobalVariables"))
    etree.SubElement(gv, q("StudyName")).text = study.study_oid
    etree.SubElement(gv, q("StudyDescription")).text = study.title.en
    etree.SubElement(gv, q("ProtocolName")).text = study.protocol_name
    units = sorted({i.unit for f in study.forms.values() for i in f.items() if i.unit})
    if units:
        bd = etree.SubElement(root, q("BasicDefinitions"))
        for ucum in units:
            mu = etree.SubElement(bd, q("MeasurementUnit"), OID=unit_oid(ucum), Name=ucum)
            _translated(mu, "Symbol", Label(ucum, ucum))
    mdv = etree.SubElement(root, q("MetaDataVersion"), OID=study.mdv_oid, Name=study.mdv_oid)
    protocol = etree.SubElement(mdv, q("Protocol"))
    for n, event in enumerate(study.events, 1):
        etree.SubElement(
            protocol,
            q("StudyEventRef"),
            StudyEventOID=event.oid,
            OrderNumber=str(n),
            Mandatory="No",
        )
    for event in study.events:
        el = etree.SubElement(
            mdv,
            q("StudyEventDef"),
            OID=event.oid,
            Name=event.name,
            Repeating="No" if event.repeat == "none" else "Yes",
            Type={"scheduled": "Scheduled", "unscheduled": "Unscheduled"}.get(event.kind, "Common"),
        )
        for n, form_oid in enumerate(event.forms, 1):
            etree.SubElement(el, q("FormRef"), FormOID=form_oid, OrderNumber=str(n), Mandatory="No")
    forms = list(study.forms.values())
    for form in forms:
        _form_def(mdv, form)
    seen_groups: set[str] = set()
    for form in forms:
        for group in form.groups:
            if group.oid in seen_groups:
                continue
            seen_groups.add(group.oid)
            g = etree.SubElement(
                mdv,
                q("ItemGroupDef"),
                OID=group.oid,
                Name=group.name,
                Repeating="Yes" if group.repeating else "No",
            )
            for n, item in enumerate((i for i in group.items if not i.phi), 1):
                etree.SubElement(
                    g,
                    q("ItemRef"),
                    ItemOID=item.oid,
                    OrderNumber=str(n),
                    Mandatory="Yes" if item.required else "No",
                )
    seen_items: set[str] = set()
    for form in forms:
        for item in form.items():
            if item.oid not in seen_items and not item.phi:
                seen_items.add(item.oid)
                _item_def(mdv, item, study)
    for codelist in study.codelists.values():
        cl = etree.SubElement(
            mdv,
            q("CodeList"),
            OID=codelist.oid,
            Name=codelist.name,
            DataType=_ODM_TYPES.get(codelist.data_type, "text"),
        )
        for entry in codelist.items:
            cli = etree.SubElement(cl, q("CodeListItem"), CodedValue=entry.code)
            _translated(cli, "Decode", entry.label)
    return root
