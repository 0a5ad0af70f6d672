import base64
import binascii
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Header, Request

from app.anvandare import service as anvandare_service
from app.auth import service
from app.auth.dependencies import PrincipalDep, SettingsDep
from app.auth.principal import AktorTyp
from app.auth.schemas import MigRead, TokenRead
from app.core.errors import InvalidInput
from app.db.session import SessionDep
from app.integrationer import service as integration_service
from app.kit import API_PREFIX
from app.kit.problem import PROTECTED, problem_responses
from app.kit.schemas import NO_NUL

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])

Field64 = Annotated[str | None, Form(max_length=64, pattern=NO_NUL)]
Secret = Annotated[str | None, Form(max_length=200, pattern=NO_NUL)]


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        klient_id, _, hemlighet = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if "\x00" in klient_id + hemlighet:
        return None  # the form fields refuse NUL (NO_NUL); credentials in a header may not bring it
    return klient_id, hemlighet


def _missing(**fields: str | None) -> InvalidInput:
    return InvalidInput(
        "Uppgifter saknas för den valda grant_type.",
        errors=[
            {"plats": f"body.{name}", "meddelande": "Fältet saknas."}
            for name, value in fields.items()
            if not value
        ],
    )


@router.post(
    "/token",
    summary="Hämta en åtkomsttoken",
    description=(
        "OAuth2-tokenendpoint (formulärkodad). `grant_type=password` med `username` och "
        "`password` för personer; `grant_type=client_credentials` med `client_id` och "
        "`client_secret` (eller HTTP Basic) för integrationer. Upprepade misslyckanden för ett "
        "konto eller en adress besvaras med 429."
    ),
    responses=problem_responses(401, 422, 429),
)
def skapa_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    grant_type: Annotated[Literal["password", "client_credentials"], Form()],
    username: Field64 = None,
    password: Secret = None,
    client_id: Field64 = None,
    client_secret: Secret = None,
    scope: Annotated[str, Form(max_length=1000, pattern=NO_NUL)] = "",
    authorization: Annotated[str | None, Header(max_length=1000, include_in_schema=False)] = None,
) -> TokenRead:
    address = request.client.host if request.client else None
    if grant_type == "password":
        if not username or not password:
            raise _missing(username=username, password=password)
        return service.login_with_password(
            session,
            settings,
            anvandarnamn=username,
            losenord=password,
            address=address,
            scope=scope,
        )
    credentials = (client_id, client_secret) if client_id and client_secret else None
    credentials = credentials or _basic_credentials(authorization)
    if not credentials or not all(credentials):
        raise _missing(client_id=client_id, client_secret=client_secret)
    return service.login_with_client_credentials(
        session,
        settings,
        klient_id=credentials[0],
        hemlighet=credentials[1],
        address=address,
        scope=scope,
    )


@router.get("/me", summary="Den inloggade", responses=PROTECTED)
def hamta_mig(session: SessionDep, principal: PrincipalDep) -> MigRead:
    if principal.aktor_typ is AktorTyp.anvandare:
        user = anvandare_service.read_self(session, principal)
        namn, anvandarnamn = user.namn, user.anvandarnamn
    else:
        client = integration_service.read(session, principal, principal.id)
        namn, anvandarnamn = client.namn, None
    return MigRead(
        typ=principal.aktor_typ,
        id=principal.id,
        namn=namn,
        anvandarnamn=anvandarnamn,
        kommun_id=principal.kommun_id,
        roll=principal.roll,
        organisation=principal.organisation,
        skolor=sorted(principal.skolor),
        scopes=sorted(principal.scopes),
    )
