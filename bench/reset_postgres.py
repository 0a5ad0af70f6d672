"""Empties a PostgreSQL database's public schema for a benchmark run (never the service's own)."""

import sys

from sqlalchemy import create_engine, text


def main(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
