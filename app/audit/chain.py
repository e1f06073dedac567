"""The audit log as hash chains: one per organisation and one for the installation (sign-in
failures of unknown accounts).

Each entry holds its place in its chain (`chain_seq`), the hash of the entry before it
(`prev_hash`, empty for the first) and its own hash: SHA-256 over its content and
`prev_hash`. The chain's head (`audit_chain`) holds the last place and hash. A writer locks the
head row of its chain before it appends (PostgreSQL: `SELECT ... FOR UPDATE`, which waits for
another writer's commit and then reads its head; SQLite: the writer already holds the
database's write lock), so two transactions never append to the same place. Heads are locked
in order of chain, so two writers of several chains cannot deadlock.

`verify` recomputes every chain: a changed entry no longer matches its hash, a removed one
leaves a gap in the places and a `prev_hash` that matches nothing, a removed last entry
leaves the head pointing past the end. Anyone who can rewrite the database can also
recompute the hashes; `kompas audit verify` prints each chain's head so that it can be kept
elsewhere (a ticket, a mail to the security officer) and compared later.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel

from app.audit.models import AuditChain, AuditEntry
from app.tables import table_of

INSTALLATION = 0  # the chain of entries that belong to no organisation
# What an entry's hash covers (not its id, nor actor_id: erasing a person empties that).
HASHED = (
    "chain_seq",
    "at",
    "organisation_id",
    "theme_id",
    "cycle_id",
    "actor_pseudonym",
    "action",
    "result",
    "origin",
    "entity",
    "entity_id",
    "label",
    "before",
    "after",
    "prev_hash",
)

_entries = table_of(AuditEntry)
_heads = table_of(AuditChain)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def entry_hash(values: dict[str, Any]) -> str:
    content = json.dumps(
        [_plain(values.get(name)) for name in HASHED],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def _chain_of(row: dict[str, Any]) -> int:
    return row["organisation_id"] or INSTALLATION


def _lock_head(connection: sa.Connection, chain: int) -> tuple[int, str]:
    insert = (postgresql if connection.dialect.name == "postgresql" else sqlite).insert(_heads)
    connection.execute(
        insert.values(chain=chain, last_seq=0, last_hash="").on_conflict_do_nothing()
    )
    head = connection.execute(
        sa.select(_heads.c.last_seq, _heads.c.last_hash)
        .where(_heads.c.chain == chain)
        .with_for_update()
    ).one()
    return head.last_seq, head.last_hash


def append(connection: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Write these entries at the end of their chains, in the caller's transaction."""
    by_chain: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_chain[_chain_of(row)].append(row)
    for chain in sorted(by_chain):
        seq, last = _lock_head(connection, chain)
        for row in by_chain[chain]:
            seq += 1
            row["chain_seq"], row["prev_hash"] = seq, last
            row["hash"] = last = entry_hash(row)
        connection.execute(sa.insert(_entries), by_chain[chain])
        connection.execute(
            sa.update(_heads).where(_heads.c.chain == chain).values(last_seq=seq, last_hash=last)
        )


@dataclass(frozen=True)
class Finding:
    chain: int
    message: str  # Dutch, for the operator


@dataclass(frozen=True)
class Head:
    chain: int
    entries: int
    last_hash: str


def _rows(connection: sa.Connection, chain: int) -> Iterator[sa.Row]:
    where = (
        _entries.c.organisation_id.is_(None)
        if chain == INSTALLATION
        else _entries.c.organisation_id == chain
    )
    columns = [_entries.c.id, _entries.c.hash, *(_entries.c[name] for name in HASHED)]
    yield from connection.execute(
        sa.select(*columns)
        .where(where, _entries.c.chain_seq.is_not(None))
        .order_by(_entries.c.chain_seq)
        .execution_options(yield_per=1000)
    )


def verify(connection: sa.Connection) -> tuple[list[Head], list[Finding]]:
    """Every chain's head and whatever does not add up, per chain."""
    heads, findings = [], []
    chains = {row.chain: row for row in connection.execute(sa.select(_heads))}
    logged = connection.execute(
        sa.select(_entries.c.organisation_id).distinct().where(_entries.c.chain_seq.is_not(None))
    ).scalars()
    organisation = SQLModel.metadata.tables["organisation"]
    existing = set(connection.execute(sa.select(organisation.c.id)).scalars())
    for chain in sorted(set(chains) | {o or INSTALLATION for o in logged}):
        if chain != INSTALLATION and chain not in existing:
            continue  # an organisation removed with its log
        expected_seq, expected_prev, count = 1, "", 0
        for row in _rows(connection, chain):
            values = row._asdict()
            if row.chain_seq != expected_seq:
                missing = row.chain_seq - expected_seq
                findings.append(
                    Finding(
                        chain,
                        f"{missing} regel(s) ontbreken vóór regel {row.chain_seq} (id {row.id})."
                        if missing > 0
                        else f"Regel {row.chain_seq} (id {row.id}) staat er dubbel.",
                    )
                )
            elif row.prev_hash != expected_prev:
                findings.append(
                    Finding(
                        chain, f"Regel {row.chain_seq} (id {row.id}) sluit niet aan op de vorige."
                    )
                )
            if entry_hash(values) != row.hash:
                findings.append(
                    Finding(chain, f"Regel {row.chain_seq} (id {row.id}) is gewijzigd.")
                )
            expected_seq, expected_prev, count = row.chain_seq + 1, row.hash, count + 1
        head = chains.get(chain)
        if head is None:
            findings.append(Finding(chain, "De kop van deze keten ontbreekt."))
            continue
        if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
            findings.append(
                Finding(
                    chain,
                    f"De keten hoort tot regel {head.last_seq} te lopen, maar eindigt bij regel "
                    f"{expected_seq - 1}: de laatste regel(s) zijn verwijderd of gewijzigd.",
                )
            )
        heads.append(Head(chain, count, head.last_hash))
    return heads, findings
