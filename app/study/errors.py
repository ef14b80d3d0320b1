"""StudyDefinitionError: a study definition file is wrong, with the place (file, form, item) named."""

from __future__ import annotations


class StudyDefinitionError(ValueError):
    """Raised by the loader; `file`, `form`, `group`, `item`, `event`, ... say where, `problem` what.

    The message reads "forms/cbu.yaml: form F.CBU: group IG.CBU: item IT.CB.TNC: <problem>".
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str,
        form: str | None = None,
        group: str | None = None,
        item: str | None = None,
        event: str | None = None,
        codelist: str | None = None,
        rule_input: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.form = form
        self.group = group
        self.item = item
        self.event = event
        self.codelist = codelist
        self.rule_input = rule_input
        parts = [file]
        for kind, value in (
            ("event", event),
            ("codelist", codelist),
            ("rule input", rule_input),
            ("form", form),
            ("group", group),
            ("item", item),
        ):
            if value is not None:
                parts.append(f"{kind} {value}")
        super().__init__(": ".join([*parts, problem]))
