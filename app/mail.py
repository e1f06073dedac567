"""E-mail: recorded in the outbox with what caused it, sent by the worker through the relay.

A mail is a template under `templates/mail/` (`<name>.txt` with blocks `subject` and `text`,
`<name>.html` for the HTML part) and a context of plain strings, filled in when the mail is
recorded. A one-time link (an invitation, a new password, a partner link) is the one secret a
mail carries: it is stored encrypted (`secret_hashing.encrypt_link`: Fernet, with a key derived
from KOMPAS_SECRET_KEY) in the outbox row's `secret`, decrypted only to send, and erased once
the mail is sent or given up on. The database alone never shows it; see "E-mail" in the README
for why.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2_fragments import render_block
from sqlmodel import Session

from app import outbox, secret_hashing
from app.config import ROOT, settings
from app.outbox import Claimed
from app.worker import GiveUp

KIND = "mail"
log = logging.getLogger("kompas.mail")


class Undeliverable(GiveUp):
    """Trying again will not help (the relay refuses the address for good)."""


def enabled() -> bool:
    return bool(settings.smtp_host)


def send_later(
    session: Session,
    template: str,
    *,
    to: str,
    context: dict[str, str],
    sender_name: str,
    reply_to: str | None = None,
    link_path: str | None = None,
    dedupe_key: str | None = None,
) -> bool:
    """Record a mail in the caller's transaction; it goes after the commit. `link_path` (such
    as "/uitnodiging/<token>") is the secret part, kept encrypted; the template reads it as
    `link`. False when this installation sends no mail, or the key was recorded before."""
    if not enabled():
        return False
    payload = {
        "template": template,
        "to": to,
        "reply_to": reply_to,
        "sender_name": sender_name,
        "context": context,
    }
    secret = secret_hashing.encrypt_link(link_path) if link_path else None
    return outbox.enqueue(session, KIND, payload, secret=secret, dedupe_key=dedupe_key) is not None


def url(path: str) -> str:
    """An address in this installation, for links that are no secret."""
    return settings.base_url + path


_templates = Environment(
    loader=FileSystemLoader(ROOT / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def compose(message: Claimed) -> EmailMessage:
    """The message as it will be sent: subject, plain text and HTML, in Dutch."""
    payload = message.payload
    context: dict[str, Any] = dict(payload["context"])
    if message.secret is not None:
        path = secret_hashing.decrypt_link_or_none(message.secret)
        if path is None:
            raise Undeliverable("the link was encrypted with another KOMPAS_SECRET_KEY")
        context["link"] = url(path)
    name = f"mail/{payload['template']}"
    email = EmailMessage()
    email["Subject"] = render_block(_templates, f"{name}.txt", "subject", **context).strip()
    email["From"] = formataddr((f"{payload['sender_name']} via Kompas", settings.smtp_from or ""))
    email["To"] = payload["to"]
    if payload.get("reply_to"):
        email["Reply-To"] = payload["reply_to"]
    email["Date"] = formatdate(localtime=False)
    # The same id on a resend after a crash lets mail clients show it once.
    domain = (settings.smtp_from or "kompas.invalid").rpartition("@")[2]
    email["Message-ID"] = f"<kompas-{message.id}@{domain}>"
    email.set_content(render_block(_templates, f"{name}.txt", "text", **context).strip() + "\n")
    email.add_alternative(html(payload["template"], context), subtype="html")
    return email


def html(template: str, context: dict[str, Any]) -> str:
    """A mail's HTML part (a document of its own, checked with axe like the pages)."""
    return _templates.get_template(f"mail/{template}.html").render(context)


def deliver(message: Claimed) -> None:
    """Send one mail through the relay; raises to be tried again, Undeliverable to give up."""
    email = compose(message)
    try:
        with _connect() as relay:
            relay.send_message(email)
    except smtplib.SMTPRecipientsRefused as exc:
        if all(500 <= code < 600 for code, _ in exc.recipients.values()):
            raise Undeliverable("the relay refused the address") from None
        raise


@cache
def _tls(ca_file: Path | None) -> ssl.SSLContext:
    """Loading the system's CAs takes 150 ms: once per process, not per mail."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(ca_file)
    return context


def _connect() -> smtplib.SMTP:
    host, port = settings.smtp_host or "", settings.smtp_port
    timeout = settings.smtp_timeout_seconds
    relay: smtplib.SMTP
    if settings.smtp_security == "tls":
        relay = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls(settings.smtp_ca_file))
    else:
        relay = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.smtp_security == "starttls":
            relay.starttls(context=_tls(settings.smtp_ca_file))
        if settings.smtp_username and settings.smtp_password:
            relay.login(settings.smtp_username, settings.smtp_password.get_secret_value())
    except BaseException:
        relay.close()
        raise
    return relay
