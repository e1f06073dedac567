"""What the background worker (app/worker.py) does: a handler per kind of outbox row, and the
scheduled jobs. Declared here, where the parts are assembled, so that the worker knows none."""

from datetime import timedelta

from app import mail
from app.partner_requests import mails as partner_request_mails
from app.worker import Job, Work

WORK = Work(
    handlers={mail.KIND: mail.deliver},
    jobs=(
        Job("partner-request-reminders", timedelta(hours=1), partner_request_mails.send_reminders),
    ),
)
