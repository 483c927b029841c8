"""Telling organisations of a new fit: in the app always, by e-mail when SMTP is configured.

When an achievement or a need is added, it is matched against the other side
(needs and enterprises, or achievements); each candidate among the first
:data:`TOP` whose score reaches :data:`MIN_SCORE` gives a "fit" notification to
both organisations, with the explanation. :func:`send_pending` e-mails the
notifications not yet e-mailed to the members of their organisation (one
message each, via ``smtplib``) and marks them.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from scicity.domain.exchange import Achievement, ExchangeRecord, Need
from scicity.service.exchange_match import ExchangeMatcher, query_of
from scicity.settings import Settings
from scicity.store.db import Database
from scicity.store.exchange_deals import DealRepository

TOP = 3
MIN_SCORE = 0.30


def announce_fits(db: Database, matcher: ExchangeMatcher, record: ExchangeRecord,
                  settings: Settings | None = None) -> int:
    """Put ``record`` into the matcher and notify both sides of its good fits; how many notifications."""
    matcher.add(record)
    if not isinstance(record, Achievement | Need):
        return 0
    deals = DealRepository(db)
    text, profile = query_of(record)
    kind = "needs" if isinstance(record, Achievement) else "achievements"
    mine = record.owner if isinstance(record, Achievement) else record.enterprise
    title = record.title_zh or record.title_en or record.code
    sent = 0
    for match in matcher.index(kind).search(text, profile, k=TOP):
        if match.score < MIN_SCORE or match.org is None:
            continue
        why = match.explain()
        payload = {"record": record.code, "match": match.id, "score": round(match.score, 4)}
        deals.notify(match.org, "fit", f"New fit: {title}", f"{record.code} fits your {match.id} — {why}", payload)
        deals.notify(mine, "fit", f"New fit: {match.title}", f"{match.id} fits your {record.code} — {why}", payload)
        sent += 2
    if settings is not None and settings.smtp_host:
        send_pending(db, settings)
    return sent


def send_pending(db: Database, settings: Settings, orgs: list[str] | None = None) -> int:
    """E-mail every notification not yet e-mailed (of ``orgs``, or all) to its organisation's members."""
    if not settings.smtp_host:
        return 0
    deals = DealRepository(db)
    pending = deals.pending_email(orgs)
    sent_ids: list[int] = []
    if not pending:
        return 0
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        for note in pending:
            recipients = deals.emails_of(note.org)
            if not recipients:
                continue
            message = EmailMessage()
            message["From"] = settings.smtp_sender
            message["To"] = ", ".join(recipients)
            message["Subject"] = f"[scicity] {note.subject}"
            message.set_content(note.body)
            smtp.send_message(message)
            sent_ids.append(note.id)
    deals.mark(sent_ids, emailed=True)
    return len(sent_ids)
