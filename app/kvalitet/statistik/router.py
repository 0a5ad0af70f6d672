import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.auth.dependencies import require_role
from app.auth.principal import Principal
from app.auth.roles import Roll
from app.db.session import SessionDep
from app.kit import API_PREFIX
from app.kit.problem import PROTECTED, problem_responses
from app.kit.schemas import Datum
from app.kvalitet.figurer import MINSTA_ANTAL_ELEVER
from app.kvalitet.statistik import export, service
from app.kvalitet.statistik.schemas import KvalitetsstatistikRead, statistik_read

router = APIRouter(
    prefix=f"{API_PREFIX}/kvalitetsuppfoljning",
    tags=["kvalitetsuppfoljning"],
    responses=PROTECTED,
)

# T 4.1 and S 3: the steering group and the principal; the administrator reports onwards.
Statistikanvandare = Annotated[
    Principal, require_role(frozenset({Roll.styrgrupp, Roll.rektor, Roll.admin}), "kvalitet:read")
]

_DESCRIPTION = (
    "Statistik för styrgruppen (T 4.1) och rektor (S 3, 9): ärenden per fas, nya, beviljade, "
    "avslagna och avslutade under perioden, ledtider (median och 90:e percentil i dagar), "
    "insatser per typ, avslutsorsaker, målbedömningar, elever per närvaronivå, "
    "frånvaroförändring, avvikelser per status och orosanmälningar. Allt räknas i databasen. "
    f"Ett värde som vilar på färre än {MINSTA_ANTAL_ELEVER} elever visas som null med "
    "`saknas: undertryckt`, och likaså ett värde som annars skulle gå att räkna ut ur andra "
    "(skolans värde ur kommunens, en avslutsorsak ur antalet avslutade). Styrgruppen och "
    "administratören ser hela kommunen eller en skola; rektor sina skolor eller en av dem "
    "(en annan skola är 404). Perioden är från och med `fran` till och med `till` "
    "(standard: läsårets början till i dag). Med `Accept: text/csv` kommer samma värden som "
    "CSV (UTF-8, komma, svenska rubriker, en rad per figur, grupp och mått)."
)
_CSV_EXAMPLE = (
    "Kommunkod,Skolenhetskoder,Period från,Period till,Figur,Grupp,Mått,Värde,Anmärkning\r\n"
    "9901,,2026-07-01,2026-11-25,arenden_per_fas,ansokan,antal,7,\r\n"
    "9901,,2026-07-01,2026-11-25,arenden_per_fas,beredning,antal,,undertryckt\r\n"
)


@router.get(
    "/statistik",
    summary="Statistik för kvalitetsuppföljning",
    description=_DESCRIPTION,
    response_model=KvalitetsstatistikRead,
    responses={
        200: {
            "description": "Statistiken som JSON, eller som CSV med Accept: text/csv",
            "content": {
                export.MEDIA_TYPE: {
                    "schema": {"type": "string"},
                    "example": _CSV_EXAMPLE,
                }
            },
        },
        **problem_responses(404),
    },
)
def hamta_statistik(
    request: Request,
    session: SessionDep,
    principal: Statistikanvandare,
    fran: Annotated[
        Datum | None, Query(description="Från och med (standard: läsårets början)")
    ] = None,
    till: Annotated[Datum | None, Query(description="Till och med (standard: i dag)")] = None,
    skola: Annotated[uuid.UUID | None, Query(description="En skola (standard: alla)")] = None,
) -> Response:
    as_csv = export.vill_ha_csv(request.headers.get("accept"))
    period = service.period_av(fran, till)
    statistik = service.read(session, principal, period=period, skola_id=skola, export=as_csv)
    headers = {"Vary": "Accept"}
    if not as_csv:
        body = statistik_read(statistik)
        return Response(
            content=body.model_dump_json(), media_type="application/json", headers=headers
        )
    text = service.csv(session, statistik)
    filename = f"kvalitetsstatistik-{period.fran}-{period.till}.csv"
    headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(content=text.encode(), media_type=export.MEDIA_TYPE, headers=headers)
