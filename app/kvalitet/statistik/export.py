"""The statistics as CSV for the kommun's quality reporting (T 4.1: "redovisning i Stratsys"):
UTF-8, RFC 4180 (comma, CRLF, quotes where needed), Swedish headers, one row per figure, group
and measure, with the values the JSON carries — withheld values empty with the reason."""

import csv
import io
from collections.abc import Iterable

from app.kvalitet.statistik.resultat import Figurvarde, Statistik

MEDIA_TYPE = "text/csv"
RUBRIKER = (
    "Kommunkod",
    "Skolenhetskoder",
    "Period från",
    "Period till",
    "Figur",
    "Grupp",
    "Mått",
    "Värde",
    "Anmärkning",
)


def _varde(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}"


def som_csv(statistik: Statistik, *, kommunkod: str | None, skolenhetskoder: Iterable[str]) -> str:
    """`skolenhetskoder`: the scope's schools, empty for the whole kommun."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RUBRIKER)
    koder = " ".join(sorted(skolenhetskoder))
    for v in statistik.varden:
        writer.writerow(_rad(statistik, v, kommunkod or "", koder))
    return buffer.getvalue()


def _rad(statistik: Statistik, v: Figurvarde, kommunkod: str, koder: str) -> list[str]:
    return [
        kommunkod,
        koder,
        statistik.period.fran.isoformat(),
        statistik.period.till.isoformat(),
        str(v.figur),
        v.grupp,
        str(v.matt),
        _varde(v.varde),
        "" if v.saknas is None else str(v.saknas),
    ]


def _kvaliteter(accept: str) -> dict[str, tuple[float, int]]:
    """Each media range of an Accept header with its q-value and specificity."""
    found: dict[str, tuple[float, int]] = {}
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.lower()
        found[media] = (q, 2 if "*" not in media else (1 if not media.startswith("*") else 0))
    return found


def _basta(kvaliteter: dict[str, tuple[float, int]], media: str) -> tuple[float, int]:
    kind = media.split("/")[0]
    for candidate in (media, f"{kind}/*", "*/*"):
        if candidate in kvaliteter:
            return kvaliteter[candidate]
    return (0.0, -1)


def vill_ha_csv(accept: str | None) -> bool:
    """Whether the Accept header prefers CSV to JSON: by q-value, then by the more specific
    range. JSON is the answer to anything else, a missing header included."""
    if not accept:
        return False
    kvaliteter = _kvaliteter(accept)
    csv_q, csv_s = _basta(kvaliteter, MEDIA_TYPE)
    json_q, json_s = _basta(kvaliteter, "application/json")
    if csv_q <= 0:
        return False
    return (csv_q, csv_s) > (json_q, json_s)
