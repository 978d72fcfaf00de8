"""The rule registry: one module per check, registered by a decorator, found by discovery.

A rule is one module in ``audits/rules/`` and everything about it lives there (ruff's model: the
rule's docstring is its documentation)::

    @rule("empty_column", name="空白栏目", category="空白栏目", order=10, severity="veto",
          tasks=[33, 19], basis="…", config=["columns.unreadable_list_styles"],
          sentence=…, labels={…})
    def empty_column(snapshot, config, as_of):
        \"\"\"A leaf column with no items, or whose page shows only a placeholder.

        url: the column page
        refs: V4(c)

        含义：……
        依据：……
        自查方法：……
        整改方法：……
        \"\"\"
        yield empty_column.finding(url, "「…」栏目为空白栏目", evidence={…})

* ``name`` — the 问题类型 every output shows; ``category`` — the 主要问题 paragraph it belongs to (a
  title of ``categories`` in govaudit/report/vocabulary.yaml; None: 其他问题); ``order`` — its place
  in reports, docs and findings.json.
* ``config`` — the keys of audits/defaults.yaml it reads (listed in docs/audits.md; a test checks
  they exist).
* ``sentence`` — how 主要问题 counts its findings: a template (``{count}`` findings, ``{documents}``
  distinct pages, ``{units}`` units, ``{name}``), or a function ``(part, say) -> (text, examples)``
  of the findings frame and the report's phrasing helpers (``say``; the report layer passes it, so
  audits never import the report); None: “名称N处”.
* ``reads`` — the optional snapshot columns it reads (``"links.detail"``; ``audits.snapshot.OPTIONAL``):
  the runner loads only the columns the enabled rules name.  Body text and per-page JSON are never
  loaded into the frames: iterate them in batches with ``audits.texts.document_texts`` /
  ``page_values``.
* ``views`` — the snapshot's shared views it asks for (``audits.snapshot.VIEWS``: ``"interp_pairs"``,
  ``"document_parts"`` …, whether directly or through a helper): the runner lets each go after the
  last enabled rule that names it.  Unnamed, a view is built again when asked for (a cost in time
  only); tests/audits/test_views.py names what each rule left out.
* ``own_tables`` — it builds large tables of its own through ``audits.caches.rule_cache`` (the
  严重表述错误 matcher and dictionaries: about 20 MiB).  The runner runs such rules before the others
  and lets their tables go right after, so they never sit on top of the views that grow with the
  site; findings.json keeps ``order`` all the same.
* ``labels`` — labels of evidence keys only this rule writes (the shared ones are in vocabulary.yaml),
  as in vocabulary.yaml's ``evidence`` section.
* The docstring: a summary and ``url:`` / ``refs:`` / ``severity:`` lines for docs/audits.md
  (``python3 -m audits.docs``), and the 含义/依据/自查方法/整改方法 sections of docs/检查项说明.md
  (``python3 -m govaudit.report.guide``).  A section runs to the next blank line; a line break
  between two Chinese characters is dropped; other paragraphs are for the reader of the code only.

``rule.finding(...)`` fills in the check id, the default severity and the 要点 tasks.  Adding a
rule is adding this module and its test file, tests/audits/rules/test_<id>.py (for end-to-end
coverage also a planted defect in sitesim/), then regenerating docs/audits.md and
docs/检查项说明.md: docs/design.md, “Adding a rule”, has a worked example.
"""
from __future__ import annotations

import datetime as dt
import functools
import importlib
import inspect
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

import audits.rules as rules_package
from audits.model import SEVERITIES, Finding
from audits.snapshot import VIEWS

_REGISTRY: dict[str, "Rule"] = {}

# The sections of a rule's docstring: (key, heading as the docstring writes it).
DOC_KEYS = ("url", "refs", "severity")
GUIDE_SECTIONS = (("meaning", "含义"), ("basis", "依据"), ("self_check", "自查方法"), ("fix", "整改方法"))
_SECTION = re.compile(r"^(?:(?P<key>url|refs|severity): |(?P<heading>含义|依据|自查方法|整改方法)：)(?P<text>.*)$")


def _join(text: str, more: str) -> str:
    """Join a continuation line: nothing between two Chinese characters, else one space."""
    if text and more and not text[-1].isascii() and not more[0].isascii():
        return text + more
    return f"{text} {more}" if text else more


def parse_doc(doc: str | None) -> dict:
    """A rule docstring -> {summary, url, refs, severity, guide: {meaning, basis, self_check, fix}}."""
    out: dict = {"summary": "", "guide": {}}
    headings = {h: k for k, h in GUIDE_SECTIONS}
    current = None                  # (dict, key) the next continuation line extends
    for line in inspect.cleandoc(doc or "").splitlines():
        m = _SECTION.match(line.strip())
        if m:
            current = (out, m["key"]) if m["key"] else (out["guide"], headings[m["heading"]])
            current[0][current[1]] = m["text"].strip()
        elif not line.strip():
            current = None
        elif current is not None:
            current[0][current[1]] = _join(current[0][current[1]], line.strip())
        elif not out["summary"]:
            current = (out, "summary")
            out["summary"] = line.strip()
    return out


@dataclass(frozen=True)
class Rule:
    id: str
    name: str                       # Chinese, as in real 检查通报
    basis: str                      # indicator / note of rules.md, and the 要点 task
    severity: str                   # default: veto | deduct | notice
    tasks: tuple[int, ...] = ()
    order: int = 1000               # position in reports, docs and findings.json
    category: str | None = None     # the 主要问题 paragraph (vocabulary.yaml categories); None: 其他问题
    config: tuple[str, ...] = ()    # keys of audits/defaults.yaml the rule reads
    reads: tuple[str, ...] = ()     # optional snapshot columns it reads ("links.detail"; snapshot.OPTIONAL)
    views: tuple[str, ...] = ()     # the snapshot's shared views it asks for (snapshot.VIEWS)
    own_tables: bool = False        # builds large tables through audits.caches: run first, let go after
    sentence: str | Callable | None = field(default=None, compare=False, repr=False)
    labels: dict = field(default_factory=dict, compare=False, repr=False)
    func: Callable = field(default=None, compare=False, repr=False)

    def check(self, snapshot, config: dict, as_of: dt.date) -> Iterable[Finding]:
        return self.func(snapshot, config, as_of)

    __call__ = check

    def finding(self, url: str, message: str, **kwargs) -> Finding:
        kwargs.setdefault("severity", self.severity)
        kwargs.setdefault("tasks", list(self.tasks))
        return Finding(check=self.id, url=url, message=message, **kwargs)

    @property
    def doc(self) -> dict:
        """The parsed docstring (summary, url, refs, severity note, guide sections)."""
        return parse_doc(self.func.__doc__ if self.func else None)

    def describe(self) -> dict:
        return {"name": self.name, "basis": self.basis, "severity": self.severity, "tasks": list(self.tasks)}


def rule(rule_id: str, *, name: str, basis: str, severity: str, tasks: Iterable[int] = (), order: int = 1000,
         category: str | None = None, config: Iterable[str] = (), sentence: str | Callable | None = None,
         labels: dict | None = None, reads: Iterable[str] = (), views: Iterable[str] = (), own_tables: bool = False):
    """Register ``func`` as the check ``rule_id``."""
    if severity not in SEVERITIES:
        raise ValueError(f"{rule_id}: severity must be one of {SEVERITIES}")
    unknown = set(views) - VIEWS
    if unknown:
        raise ValueError(f"{rule_id}: {sorted(unknown)} not in snapshot.VIEWS")

    def register(func: Callable) -> Rule:
        if rule_id in _REGISTRY and _REGISTRY[rule_id].func.__module__ != func.__module__:
            raise ValueError(f"rule id {rule_id} registered twice")
        registered = Rule(rule_id, name, basis, severity, tuple(tasks), order, category, tuple(config),
                          tuple(reads), tuple(views), own_tables, sentence, dict(labels or {}), func)
        _REGISTRY[rule_id] = registered
        return registered

    return register


@functools.cache
def discover() -> None:
    """Import every module of ``audits.rules`` so their decorators run (once)."""
    for name in sorted(rules_package.rule_ids()):
        importlib.import_module(f"{rules_package.__name__}.{name}")


def all_rules() -> list[Rule]:
    discover()
    return sorted(_REGISTRY.values(), key=lambda r: (r.order, r.id))


def get(rule_id: str) -> Rule:
    discover()
    return _REGISTRY[rule_id]
