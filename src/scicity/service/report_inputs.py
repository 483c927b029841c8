"""What a report reads from the store besides the values: data basis, goals, registry annex, provenance."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from scicity.domain.plan import Plan
from scicity.domain.registries import CertificationKind
from scicity.service.report_model import ReportContext
from scicity.service.report_text import gettext_for, source_text
from scicity.store import report_reads
from scicity.store.current_reads import approved_values
from scicity.store.data_version import data_version
from scicity.store.db import Database

#: certifications listed in the annex (technology-based SMEs are too many to list: counted only)
ANNEX_KINDS = (
    CertificationKind.HIGH_TECH,
    CertificationKind.GAZELLE,
    CertificationKind.POTENTIAL_UNICORN,
    CertificationKind.UNICORN,
)
ANNEX_LIMIT = 150

CERT_NAMES = {
    "tech_sme": "Technology-based SME",
    "high_tech": "High-tech enterprise",
    "specialised": "Specialised and innovative SME (专精特新)",
    "little_giant": "Little giant enterprise (专精特新“小巨人”)",
    "gazelle": "Gazelle enterprise",
    "potential_unicorn": "Potential unicorn",
    "unicorn": "Unicorn",
}
GOAL_STATUS_NAMES = {"not_started": "not started", "in_progress": "in progress", "achieved": "achieved"}


def store_context(db: Database, plan: Plan, as_of: int, lang: str, *, sections: list[dict[str, Any]] | None = None) -> ReportContext:
    """Read everything the report needs from the store, as of the end of ``as_of``."""
    return ReportContext(
        data_basis=data_basis(db, plan, as_of),
        goals=goals(db, plan, lang),
        registry_annex=registry_annex(db, plan, as_of, lang),
        provenance=provenance(db, plan, as_of, lang),
        sections=sections or [],
        data_version=data_version(db),
    )


def data_basis(db: Database, plan: Plan, as_of: int) -> dict[str, Any]:
    """Approved values used; how many values (latest revision per key, up to ``as_of``) are pending or returned."""
    latest = report_reads.latest_statuses(db, plan.reported_ids())
    counts = Counter(status for period, status in latest if period <= as_of)
    return {
        "approved": counts.get("approved", 0),
        "pending": counts.get("draft", 0) + counts.get("submitted", 0),
        "returned": counts.get("returned", 0),
    }


def provenance(db: Database, plan: Plan, as_of: int, lang: str = "en") -> dict[str, Any]:
    """Vintages (by source, in the words of ``lang``) and approvers of the approved values the report stands on."""
    vintages: dict[str, set[str]] = {}
    approvers: Counter[str] = Counter()
    for o in approved_values(db, set(plan.reported_ids())).values():
        if o.period > as_of:
            continue
        if o.vintage is not None:
            vintages.setdefault(o.source or "—", set()).add(o.vintage.isoformat())
        if o.approved_by:
            approvers[o.approved_by] += 1
    return {
        "vintages": [{"source": source_text(s, lang), "vintages": sorted(v)} for s, v in sorted(vintages.items())],
        "approvers": [{"who": who, "count": n} for who, n in sorted(approvers.items())],
    }


def goals(db: Database, plan: Plan, lang: str) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    latest = report_reads.latest_goal_statuses(db, plan.id)
    out = []
    for g in plan.goals:
        entry = latest.get(g.id)
        status = entry.status.value if entry else "not_started"
        out.append({
            "id": g.id,
            "name": g.name.get(lang),
            "year": g.year,
            "status": status,
            "status_text": _(GOAL_STATUS_NAMES[status]),
            "confirmed": entry is not None,
            "evidence": entry.evidence if entry else None,
            "confirmed_by": entry.confirmed_by if entry else None,
            "at": entry.at.date().isoformat() if entry else None,
        })
    return out


def registry_annex(db: Database, plan: Plan, as_of: int, lang: str) -> dict[str, Any]:
    """Enterprises newly certified in the plan period up to ``as_of``: counts by kind and year, and a list."""
    _ = gettext_for(lang)
    units = set(plan.geo_units())
    first, last = date(plan.baseline_year + 1, 1, 1), date(as_of, 12, 31)
    by_day = report_reads.certifications_from(db, units, first, last)  # counted in the database: no row read per certificate
    if not by_day:
        return {}
    counts: Counter[tuple[str, int]] = Counter()
    for (kind, day), n in by_day.items():
        counts[(kind, day.year)] += n
    years = list(range(plan.baseline_year + 1, as_of + 1))
    kinds = [k.value for k in CertificationKind if any(kind == k.value for kind, _y in counts)]
    listed, total = report_reads.certifications_listed(db, units, first, last, [k.value for k in ANNEX_KINDS], ANNEX_LIMIT)
    names = report_reads.enterprises(db, {c.credit_code for c in listed})
    rows = []
    for c in listed:
        e = names.get(c.credit_code)
        name = (e.name_zh or e.name_en if lang.startswith("zh") else e.name_en or e.name_zh) if e else c.credit_code
        rows.append({
            "kind": c.kind.value,
            "kind_text": _(CERT_NAMES[c.kind.value]),
            "credit_code": c.credit_code,
            "name": name,
            "unit": e.unit if e else None,
            "valid_from": c.valid_from.isoformat(),
            "certificate_no": c.certificate_no,
        })
    return {
        "years": years,
        "counts": [
            {"kind": k, "kind_text": _(CERT_NAMES[k]), "by_year": [counts.get((k, y), 0) for y in years],
             "total": sum(counts.get((k, y), 0) for y in years)}
            for k in kinds
        ],
        "list": rows,
        "more": max(0, total - len(listed)),
    }
