"""The `samverka` command: serve, migrate, seed-demo, create-kommun, create-user, create-client,
verify-audit and export-openapi."""

import argparse
import gc
import getpass
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.anvandare import service as anvandare_service
from app.anvandare.schemas import AnvandareCreate
from app.audit.trail import trail_of
from app.audit.verify import all_chains, verify_chain
from app.auth.principal import Principal, system_principal
from app.auth.roles import PERSON_ROLES, Organisation
from app.core.config import Settings, get_settings
from app.core.errors import AppError
from app.db.engine import build_engine, build_sessionmaker
from app.db.migrations import PROJECT_ROOT, upgrade_to_head
from app.db.session import unit_of_work
from app.integrationer import service as integration_service
from app.integrationer.schemas import IntegrationCreate
from app.kommuner import repository as kommuner
from app.skolor import repository as skolor

OPENAPI_PATH = PROJECT_ROOT / "openapi" / "openapi.json"


class CommandError(Exception):
    """Ends the command with a message and exit status 1."""


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    engine = build_engine(settings)
    try:
        with unit_of_work(build_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _acting_for(session: Session, kommun_namn: str) -> Principal:
    kommun = kommuner.get_by_namn(session, kommun_namn)
    if kommun is None:
        raise CommandError(f"Kommunen {kommun_namn!r} finns inte (skapa den med create-kommun).")
    principal = system_principal(kommun.id)
    trail_of(session).actor = principal.as_actor()
    return principal


def _school_ids(session: Session, principal: Principal, codes: list[str]) -> list[str]:
    found = skolor.by_codes(session, kommun_id=principal.kommun_id, codes=codes)
    if missing := sorted(set(codes) - found.keys()):
        raise CommandError(f"Okända skolenhetskoder i kommunen: {', '.join(missing)}")
    return [str(found[code]) for code in codes]


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    if args.workers < 1:
        raise CommandError("--workers ska vara minst 1.")
    config = uvicorn.Config(
        "app.cli:served_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        # Its lines hold the query string; the app logs each request without it (middleware.py).
        access_log=False,
    )
    server = uvicorn.Server(config)
    if args.workers == 1:
        server.run()
        return
    # Bound here rather than by uvicorn, which leaves the socket's protocol unset: asyncio then
    # keeps Nagle's algorithm on for every connection, and each keep-alive response waits about
    # 40 ms for the client's delayed ACK (github.com/Kludex/uvicorn/issues/3149).
    family, kind, proto, _, address = socket.getaddrinfo(
        args.host, args.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )[0]
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(address)
    listener.set_inheritable(True)
    Multiprocess(config, sockets=[listener]).run()


def served_app() -> FastAPI:
    """The app as each server process runs it, with its cyclic garbage collector tuned: what is
    loaded at start is frozen out of its collections, and the youngest generation is collected
    after 10 000 new objects instead of 700. An import batch makes about a million objects, none
    in cycles; with the defaults, collecting them again and again cost more than the batch's own
    Python work (docs/performance.md)."""
    from app.main import app

    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    return app


def cmd_migrate(_args: argparse.Namespace) -> None:
    upgrade_to_head(get_settings())
    print("Databasen är migrerad till senaste versionen.")


def cmd_seed_demo(args: argparse.Namespace) -> None:
    from app.demo import seed_demo

    settings = get_settings()
    if settings.env == "prod":
        raise CommandError("Demodata laddas aldrig i produktionsläge (SAMVERKA_ENV=prod).")
    with _session(settings) as session:
        added = seed_demo(session)
    if added:
        print("Demodata laddad: se README för konton och lösenord.")
    elif args.if_missing:
        print("Demodata finns redan.")
    else:
        raise CommandError("Demodata finns redan.")


def cmd_create_kommun(args: argparse.Namespace) -> None:
    with _session(get_settings()) as session:
        if kommuner.get_by_namn(session, args.namn) is not None:
            raise CommandError(f"Kommunen {args.namn!r} finns redan.")
        kommun = kommuner.add(session, namn=args.namn, kommunkod=args.kommunkod)
        print(f"Kommun skapad: {kommun.id}")


def cmd_create_user(args: argparse.Namespace) -> None:
    password = os.environ.get("SAMVERKA_NYTT_LOSENORD") or getpass.getpass("Lösenord: ")
    with _session(get_settings()) as session:
        principal = _acting_for(session, args.kommun)
        data = AnvandareCreate(
            anvandarnamn=args.anvandarnamn,
            namn=args.namn,
            roll=args.roll,
            organisation=args.organisation,
            skolor=_school_ids(session, principal, args.skola),
            losenord=password,
        )
        user = anvandare_service.create(session, principal, data)
        print(f"Användare skapad: {user.id}")


def cmd_create_client(args: argparse.Namespace) -> None:
    with _session(get_settings()) as session:
        principal = _acting_for(session, args.kommun)
        data = IntegrationCreate(namn=args.namn, skolor=_school_ids(session, principal, args.skola))
        client, secret = integration_service.create(session, principal, data)
        print(f"client_id={client.klient_id}")
        print(f"client_secret={secret}")
        print("Hemligheten visas bara nu.", file=sys.stderr)


def cmd_verify_audit(_args: argparse.Namespace) -> None:
    broken = False
    with _session(get_settings()) as session:
        for kommun_id in all_chains(session):
            result = verify_chain(session, kommun_id)
            if result.forsta_brott is None:
                print(f"{kommun_id}: hel ({result.antal_rader} rader)")
                continue
            broken = True
            brott = result.forsta_brott
            print(
                f"{kommun_id}: BRUTEN vid löpnummer {brott.lopnummer} "
                f"(rad {brott.rad_id}): {brott.orsak}"
            )
    if broken:
        raise SystemExit(1)


def openapi_document() -> str:
    from app.main import create_app

    schema = create_app(Settings(database_url="sqlite://")).openapi()
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def cmd_export_openapi(args: argparse.Namespace) -> None:
    document = openapi_document()
    target = Path(args.output)
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != document:
            raise CommandError(f"{target} skiljer sig från appen: kör `samverka export-openapi`.")
        print(f"{target} stämmer med appen.")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(document, encoding="utf-8")
    print(f"Skrev {target}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samverka", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="Starta API:t med uvicorn")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument(
        "--workers",
        type=int,
        default=os.environ.get("SAMVERKA_WORKERS", "1"),
        help="Antal serverprocesser (standard 1, eller SAMVERKA_WORKERS)",
    )
    serve.set_defaults(handler=cmd_serve)

    commands.add_parser("migrate", help="Kör databasmigreringar").set_defaults(handler=cmd_migrate)

    seed = commands.add_parser("seed-demo", help="Ladda demodata (aldrig i produktion)")
    seed.add_argument("--if-missing", action="store_true", help="Inget fel om den redan finns")
    seed.set_defaults(handler=cmd_seed_demo)

    kommun = commands.add_parser("create-kommun", help="Skapa en kommun")
    kommun.add_argument("--namn", required=True)
    kommun.add_argument("--kommunkod", help="Fyra siffror")
    kommun.set_defaults(handler=cmd_create_kommun)

    user = commands.add_parser(
        "create-user",
        help="Skapa en användare (lösenord från SAMVERKA_NYTT_LOSENORD eller prompt)",
    )
    user.add_argument("--kommun", required=True, help="Kommunens namn")
    user.add_argument("--anvandarnamn", required=True)
    user.add_argument("--namn", required=True)
    user.add_argument("--roll", required=True, choices=[str(roll) for roll in PERSON_ROLES])
    user.add_argument("--organisation", default="skola", choices=[str(org) for org in Organisation])
    user.add_argument("--skola", action="append", default=[], help="Skolenhetskod (upprepas)")
    user.set_defaults(handler=cmd_create_user)

    client = commands.add_parser("create-client", help="Skapa en integrationsklient")
    client.add_argument("--kommun", required=True, help="Kommunens namn")
    client.add_argument("--namn", required=True)
    client.add_argument("--skola", action="append", required=True, help="Skolenhetskod")
    client.set_defaults(handler=cmd_create_client)

    verify = commands.add_parser("verify-audit", help="Verifiera granskningsloggens hashkedjor")
    verify.set_defaults(handler=cmd_verify_audit)

    export = commands.add_parser("export-openapi", help="Skriv openapi/openapi.json")
    export.add_argument("--output", default=str(OPENAPI_PATH))
    export.add_argument("--check", action="store_true", help="Jämför i stället för att skriva")
    export.set_defaults(handler=cmd_export_openapi)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except (CommandError, AppError) as exc:
        print(f"samverka: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            print(f"samverka: {field}: {error['msg']}", file=sys.stderr)
        raise SystemExit(1) from exc


if __name__ == "__main__":
    main()
