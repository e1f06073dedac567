"""The `kompas` command: serve the app, migrate the database, load the demo."""

import typer
import uvicorn

from app import migrate
from app.config import settings
from app.demo.load import load_demo

app = typer.Typer(help="Kompas: de Kwaliteitskompas-cyclus voor gemeenten en hun partners.")
db = typer.Typer(help="Het databaseschema beheren (Alembic).")
app.add_typer(db, name="db")


@app.command()
def serve(
    host: str = typer.Option(settings.host, help="Adres om op te luisteren."),
    port: int = typer.Option(settings.port, help="Poort."),
    reload: bool = typer.Option(False, help="Herstarten bij codewijzigingen."),
) -> None:
    """Start the web server."""
    uvicorn.run("app.main:app", host=host, port=port, reload=reload, proxy_headers=True)


@db.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Bring the schema up to date (or to REVISION)."""
    migrate.upgrade(settings.database_url, revision)
    typer.echo(f"Database bijgewerkt tot {revision}.")


@db.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Bijvoorbeeld -1 of base.")) -> None:
    """Take the schema back to REVISION."""
    migrate.downgrade(settings.database_url, revision)
    typer.echo(f"Database teruggezet naar {revision}.")


@app.command()
def demo() -> None:
    """Load the demo (Gemeente Kampen) once; running it again changes nothing."""
    created = load_demo()
    typer.echo("Demo geladen: Gemeente Kampen." if created else "Demo was al geladen.")


if __name__ == "__main__":
    app()
