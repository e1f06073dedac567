"""The `kompas` command: serve the app, migrate the database, load the demo."""

import logging
import logging.config
import os
from pathlib import Path
from typing import NoReturn

import pyotp
import typer
import uvicorn
from sqlmodel import Session

from app import archive, db, logs, metrics, migrate, worker
from app import backup as backups
from app.audit import chain as audit_chain
from app.audit import events
from app.audit.models import AuditAction
from app.audit.recorder import pseudonym
from app.config import settings
from app.demo.accounts import ACCOUNTS as DEMO_ACCOUNTS
from app.demo.accounts import PASSWORD as DEMO_PASSWORD
from app.demo.accounts import SECOND_FACTOR_KEY as DEMO_SECOND_FACTOR_KEY
from app.demo.kampen.figures import REQUEST_TOKEN as DEMO_REQUEST_TOKEN
from app.demo.load import load_demo
from app.errors import InvalidInput, NotFound
from app.jobs import WORK
from app.organisations import mails, second_factor, signin, sso
from app.organisations import members as members_service
from app.organisations import service as organisations_service
from app.organisations.models import Role
from app.tables import row_id

log = logging.getLogger("kompas")
app = typer.Typer(help="Kompas: de Kwaliteitskompas-cyclus voor gemeenten en hun partners.")
db_commands = typer.Typer(help="Het databaseschema beheren (Alembic).")
app.add_typer(db_commands, name="db")


@app.command()
def serve(
    host: str = typer.Option(settings.host, help="Adres om op te luisteren."),
    port: int = typer.Option(settings.port, help="Poort."),
    reload: bool = typer.Option(False, help="Herstarten bij codewijzigingen."),
    workers: int = typer.Option(
        0,
        min=0,
        envvar="KOMPAS_WORKERS",
        help="Aantal processen; 0: één per processorkern met PostgreSQL, één met SQLite.",
    ),
) -> None:
    """Start the web server. It logs JSON lines to stdout (app/logs.py)."""
    processes = 1 if reload else workers or default_workers(settings.database_url)
    made = metrics.prepare_folder(processes)  # before a worker imports prometheus_client
    logging.config.dictConfig(logs.config())
    log.info("Kompas draait op http://%s:%s ; log in met een van de accounts.", host, port)
    try:
        uvicorn.run(
            "app.main:app",
            host=host,
            port=port,
            reload=reload,
            workers=processes,
            proxy_headers=True,
            # SIGTERM: requests in flight get this long, then the rest is cancelled
            # (app/stopping.py).
            timeout_graceful_shutdown=settings.shutdown_timeout,
            log_config=logs.config(),
            access_log=False,  # app/request_log.py writes a line per request
        )
    finally:
        if made is not None:
            metrics.remove_folder(made)


def default_workers(database_url: str) -> int:
    """One app process per core on PostgreSQL (live updates reach every process through
    NOTIFY); one on SQLite, whose writers take turns within a process (db._WriteTurn)
    and would otherwise wait on SQLite's busy handler, which sleeps and retries."""
    return (os.cpu_count() or 1) if database_url.startswith("postgresql") else 1


@db_commands.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Bring the schema up to date (or to REVISION)."""
    migrate.upgrade(settings.database_url, revision)
    typer.echo(f"Database bijgewerkt tot {revision}.")


@db_commands.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Bijvoorbeeld -1 of base.")) -> None:
    """Take the schema back to REVISION."""
    migrate.downgrade(settings.database_url, revision)
    typer.echo(f"Database teruggezet naar {revision}.")


@app.command()
def demo() -> None:
    """Load the demo (Gemeenten Kampen and Huizen) once; running it again changes nothing."""
    created = load_demo()
    typer.echo(
        "Demo geladen: Gemeente Kampen en Gemeente Huizen." if created else "Demo was al geladen."
    )
    typer.echo(f"Demo-accounts (wachtwoord: {DEMO_PASSWORD}):")
    for account in DEMO_ACCOUNTS:
        roles = ", ".join(
            f"{role.label.lower()} {slug}" + (f" ({partner})" if partner else "")
            for slug, role, partner in account.memberships
        )
        typer.echo(f"  {account.email:<40} {account.name}: {roles}")
    typer.echo(
        "Beheerders loggen in met een tweede stap: voeg deze sleutel toe aan een "
        f"authenticator-app: {second_factor.show_key(DEMO_SECOND_FACTOR_KEY)} "
        "(of vraag de code van dit moment met `kompas demo-code`)."
    )
    typer.echo(
        f"Partnerlink van De Kern (zonder account): "
        f"http://{settings.host}:{settings.port}/partnerlink/{DEMO_REQUEST_TOKEN}"
    )


@app.command("demo-code")
def demo_code() -> None:
    """The code the demo beheerders' app would show now (their key is public: demo only)."""
    typer.echo(pyotp.TOTP(DEMO_SECOND_FACTOR_KEY).now())


organisation_commands = typer.Typer(help="Organisaties (gemeenten).")
app.add_typer(organisation_commands, name="organisation")
user_commands = typer.Typer(help="Accounts.")
app.add_typer(user_commands, name="user")


@organisation_commands.command("create")
def organisation_create(
    name: str = typer.Option(..., help="Bijvoorbeeld: Gemeente Kampen."),
    slug: str = typer.Option(..., help="Korte naam, bijvoorbeeld: kampen."),
) -> None:
    """Create an organisation."""
    with Session(db.engine, expire_on_commit=False) as session:
        if organisations_service.get_by_slug(session, slug) is not None:
            raise typer.BadParameter(f"Er is al een organisatie '{slug}'.")
        organisations_service.create_organisation(session, name=name, slug=slug)
        session.commit()
    typer.echo(f"Organisatie {name} aangemaakt.")


@user_commands.command("create")
def user_create(
    email: str = typer.Option(...),
    name: str = typer.Option(...),
    organisation: str = typer.Option(..., help="De korte naam (slug) van de organisatie."),
    role: Role = typer.Option(Role.ADMIN, help="admin, facilitator, partner of reader."),
    # typer.Option declares confirmation_prompt a bool; its TyperOption and click take the text.
    password: str = typer.Option(  # type: ignore[call-overload]
        ..., prompt="Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord"
    ),
) -> None:
    """Create an account and make it a member of an organisation (the first beheerder)."""
    with Session(db.engine, expire_on_commit=False) as session:
        target = organisations_service.get_by_slug(session, organisation)
        if target is None:
            raise typer.BadParameter(f"Er is geen organisatie '{organisation}'.")
        try:
            user = members_service.create_user(session, email=email, name=name, password=password)
            members_service.add_member(session, target, user, role)
        except InvalidInput as exc:
            raise typer.BadParameter(" ".join(exc.errors.values())) from None
        session.commit()
    typer.echo(f"{name} kan nu inloggen als {role.label.lower()} van {target.name}.")


@user_commands.command("password-link")
def user_password_link(
    email: str = typer.Option(...),
    base_url: str = typer.Option(settings.base_url, help="Waar Kompas draait."),
) -> None:
    """A one-time link to set a new password, for the operator of this installation (for
    someone whose organisations have no beheerder in common); mailed too when this
    installation sends mail."""
    with Session(db.engine, expire_on_commit=False) as session:
        user = members_service.get_user_by_email(session, email)
        if user is None:
            raise typer.BadParameter(f"Er is geen account met e-mailadres {email}.")
        token = signin.create_reset(session, user, created_by=None)
        mailed = mails.password_link(session, user, token, organisation=None, made_by=None)
        session.commit()
    typer.echo(f"{base_url.rstrip('/')}/wachtwoord-instellen/{token}")
    typer.echo("De link werkt één keer en 24 uur lang.")
    if mailed:
        typer.echo(f"Hij gaat ook per e-mail naar {user.email}.")


@app.command("worker")
def run_worker(
    once: bool = typer.Option(False, help="Eén keer al het werk doen dat klaarstaat, dan stoppen."),
    interval: float = typer.Option(5.0, min=0.5, help="Seconden tussen twee rondes."),
) -> None:
    """Send the outbox's e-mail and run the scheduled jobs (reminders), as a process of its
    own; set KOMPAS_WORKER_IN_SERVER=false for the servers then."""
    if once:
        done = worker.run_once(worker.sessions_of(db.engine), WORK)
        typer.echo(f"{done} bericht(en) verstuurd.")
        return
    typer.echo("De achtergrondverwerker draait; stoppen met Ctrl-C.")
    worker.run_forever(db.engine, WORK, interval)


def _refuse(message: str) -> NoReturn:
    """A refusal of the backup or the archive commands: the reason on stderr, exit code 1."""
    typer.echo(message, err=True)
    raise typer.Exit(1)


@app.command("backup")
def backup_command(
    target: Path = typer.Argument(..., help="Het bestand dat de back-up wordt (nieuw)."),
) -> None:
    """Back up the whole database while Kompas runs (SQLite: online backup; PostgreSQL:
    pg_dump's custom format)."""
    try:
        backups.backup(settings.database_url, target)
    except backups.BackupFailed as exc:
        _refuse(exc.message)
    typer.echo(f"Back-up geschreven naar {target}.")


@app.command("restore")
def restore_command(
    source: Path = typer.Argument(..., help="Een back-up van `kompas backup`."),
) -> None:
    """Load a backup into the empty database at KOMPAS_DATABASE_URL."""
    try:
        backups.restore(source, settings.database_url)
    except backups.BackupFailed as exc:
        _refuse(exc.message)
    typer.echo(f"Back-up {source} teruggezet.")


@app.command("export")
def export_command(
    organisation: str = typer.Option(..., help="De korte naam (slug), bijvoorbeeld: kampen."),
    target: Path = typer.Argument(..., help="Het archief dat wordt geschreven (.zip, nieuw)."),
) -> None:
    """Write everything one organisation owns to an archive of JSON and CSV
    (docs/organisation-archive.md)."""
    try:
        counts = archive.export_organisation(db.engine, organisation, target)
    except archive.ArchiveRefused as exc:
        _refuse(exc.message)
    typer.echo(f"{sum(counts.values())} rijen van {organisation} geschreven naar {target}.")


@app.command("import")
def import_command(
    source: Path = typer.Argument(..., help="Een archief van `kompas export`."),
) -> None:
    """Load an organisation's archive into this installation, with new ids."""
    try:
        slug, counts = archive.import_organisation(db.engine, source)
    except archive.ArchiveRefused as exc:
        _refuse(exc.message)
    typer.echo(f"Organisatie {slug} geladen: {sum(counts.values())} rijen.")
    typer.echo(
        "Leden zonder account hier stellen hun wachtwoord in via `kompas user password-link`."
    )


audit_commands = typer.Typer(help="Het auditlog.")
app.add_typer(audit_commands, name="audit")


@audit_commands.command("verify")
def audit_verify() -> None:
    """Check every chain of the audit log: a changed or removed entry is reported, and the
    command ends with exit code 1. Prints each chain's last hash, to keep elsewhere."""
    with db.engine.connect() as connection:
        heads, findings = audit_chain.verify(connection)
    names = {0: "installatie"}
    with Session(db.engine) as session:
        names |= {row_id(o): o.name for o in organisations_service.list_organisations(session)}
    for head in heads:
        typer.echo(
            f"{names.get(head.chain, head.chain)}: {head.entries} regels, laatste hash "
            f"{head.last_hash or '-'}"
        )
    for finding in findings:
        typer.echo(f"FOUT in {names.get(finding.chain, finding.chain)}: {finding.message}")
    if findings:
        raise typer.Exit(1)
    typer.echo("Het auditlog is ongeschonden.")


@user_commands.command("reset-mfa")
def user_reset_second_factor(email: str = typer.Option(...)) -> None:
    """Remove someone's second factor (they lost their app) and end their sessions; they set
    up a new one at their next sign-in. For the operator, when no beheerder can."""
    with Session(db.engine, expire_on_commit=False) as session:
        user = members_service.get_user_by_email(session, email)
        if user is None:
            raise typer.BadParameter(f"Er is geen account met e-mailadres {email}.")
        second_factor.reset(session, user)
        events.record(
            session,
            AuditAction.SECOND_FACTOR_RESET,
            organisation_id=events.home_of(session, user),
            actor_id=None,
            actor_label=events.OPERATOR,
            origin=events.COMMAND_LINE,
            entity_id=user.id,
            label=pseudonym(row_id(user)),
        )
        session.commit()
    typer.echo(
        f"De tweestapsverificatie van {user.name} is verwijderd; bij het volgende inloggen "
        f"stelt {user.name} een nieuwe app in."
    )


sso_commands = typer.Typer(help="Inloggen met het account van de organisatie (OpenID Connect).")
app.add_typer(sso_commands, name="sso")


def _organisation_or_refuse(session: Session, slug: str):
    found = organisations_service.get_by_slug(session, slug)
    if found is None:
        _refuse(f"Er is geen organisatie '{slug}'.")
    return found


@sso_commands.command("set")
def sso_set(
    organisation: str = typer.Option(..., help="De korte naam (slug), bijvoorbeeld: kampen."),
    issuer: str = typer.Option(
        ..., help="Bijvoorbeeld https://login.microsoftonline.com/<tenant>/v2.0."
    ),
    client_id: str = typer.Option(..., help="De client-id van Kompas bij de inlogdienst."),
    secret_env: str | None = typer.Option(
        None, help="De omgevingsvariabele met het clientgeheim (KOMPAS_OIDC_...)."
    ),
    secret_file: Path | None = typer.Option(None, help="Of: het bestand met het clientgeheim."),
    domain: list[str] = typer.Option([], help="Toegelaten e-maildomein (herhaalbaar)."),
    role_claim: str = typer.Option("groups", help="De claim met de groepen."),
    map_: list[str] = typer.Option(
        [], "--map", help="groep=rol (herhaalbaar), rol: beheerder, procesbegeleider of lezer."
    ),
    default_role: str | None = typer.Option(
        None, help="Rol als geen groep past; zonder: weigeren."
    ),
    required: bool = typer.Option(
        False, help="Leden loggen alleen zo in (niet met een wachtwoord)."
    ),
) -> None:
    """Set an organisation's identity provider (the same as the beheerder's page)."""
    if secret_env and secret_file:
        _refuse("Kies --secret-env of --secret-file, niet allebei.")
    with Session(db.engine, expire_on_commit=False) as session:
        target = _organisation_or_refuse(session, organisation)
        try:
            data = sso.SsoSettings(
                issuer=issuer,
                client_id=client_id,
                domains=domain,
                role_claim=role_claim,
                role_map=sso.parse_role_map(map_),
                default_role=sso.role_from_text(default_role) if default_role else None,
                required=required,
                secret_env=secret_env,
                secret_file=str(secret_file) if secret_file else None,
            )
            provider = sso.configure(
                session,
                target,
                data,
                actor_id=None,
                actor_label=events.OPERATOR,
                origin=events.COMMAND_LINE,
            )
        except ValueError:
            _refuse(f"Onbekende rol: {default_role}. Kies beheerder, procesbegeleider of lezer.")
        except InvalidInput as exc:
            _refuse(" ".join(exc.errors.values()))
        session.commit()
    where = provider.secret_file or f"omgevingsvariabele {provider.secret_env}"
    typer.echo(f"{target.name} logt in via {issuer}; het clientgeheim staat in {where}.")


@sso_commands.command("require")
def sso_require(
    organisation: str = typer.Option(..., help="De korte naam (slug), bijvoorbeeld: kampen."),
    on: bool = typer.Option(
        ..., "--on/--off", help="Alleen via de inlogdienst, of ook met wachtwoord."
    ),
) -> None:
    """Require the organisation's own account, or allow passwords again: the way back when
    the identity provider is down (a beheerder then signs in with password and code)."""
    with Session(db.engine, expire_on_commit=False) as session:
        target = _organisation_or_refuse(session, organisation)
        try:
            sso.set_required(
                session,
                target,
                on,
                actor_id=None,
                actor_label=events.OPERATOR,
                origin=events.COMMAND_LINE,
            )
        except NotFound as exc:
            _refuse(exc.message)
        session.commit()
    typer.echo(
        f"Leden van {target.name} loggen nu alleen in met hun {target.name}-account."
        if on
        else f"Leden van {target.name} kunnen nu ook met hun wachtwoord inloggen."
    )


@sso_commands.command("remove")
def sso_remove(
    organisation: str = typer.Option(..., help="De korte naam (slug), bijvoorbeeld: kampen."),
) -> None:
    """Remove the organisation's identity provider: its members sign in with a password."""
    with Session(db.engine, expire_on_commit=False) as session:
        target = _organisation_or_refuse(session, organisation)
        sso.remove(
            session, target, actor_id=None, actor_label=events.OPERATOR, origin=events.COMMAND_LINE
        )
        session.commit()
    typer.echo(f"{target.name} logt weer alleen met wachtwoorden in.")


if __name__ == "__main__":
    app()
