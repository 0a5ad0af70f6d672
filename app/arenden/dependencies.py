"""Who may call the case routes, and the settings they need.

The school (elevhalsa, rektor) and the skolsocialt team share the scopes arenden:read/write;
the roles divide the work: the school applies, the team works the case (T 7.2–7.8).
"""

from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import SettingsDep, require, require_role
from app.auth.principal import Principal
from app.auth.roles import Roll

SKOLPERSONAL = frozenset({Roll.elevhalsa, Roll.rektor})
TEAM = frozenset({Roll.skolsocialt_team})

Lasare = Annotated[Principal, require("arenden:read")]
Skrivare = Annotated[Principal, require("arenden:write")]
Skola = Annotated[Principal, require_role(SKOLPERSONAL, "arenden:write")]
Team = Annotated[Principal, require_role(TEAM, "arenden:write")]


def _uppstart_dagar(settings: SettingsDep) -> int:
    return settings.uppstart_dagar


UppstartDagar = Annotated[int, Depends(_uppstart_dagar)]
