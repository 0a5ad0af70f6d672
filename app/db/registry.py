"""Every model, imported so that the whole schema is mapped.

Read by Alembic and by the composition root (app/main.py), which nothing else imports; domain
packages never import it, so it ties no import circle.
"""

from app.anteckningar.models import Anteckning
from app.anvandare.models import Anvandare, anvandare_skolor
from app.arenden.models import (
    Ansvarsplan,
    Arende,
    ArendeFas,
    Insats,
    Kartlaggning,
    Mote,
    Uppfoljning,
)
from app.audit.models import AuditHandelse, AuditKedja
from app.auth.models import Inloggningsforsok
from app.avvikelser.models import Avvikelse, AvvikelseVerksamhet
from app.db.base import Base
from app.elever.models import Elev, ElevExterntId, Vardnadshavare
from app.franvaro.models import (
    Franvaroanmalan,
    Franvaropost,
    Franvarovecka,
    Importsvar,
    Kalenderhandelse,
    Kallansvar,
    Kallperson,
    Narvaroberakning,
    Narvarogranser,
    Narvarolage,
    SkolaExterntId,
)
from app.integrationer.models import Integration, integration_skolor
from app.kommuner.models import Kommun
from app.kvalitet.mal.models import Forbattringsatgard, Kvalitetsmal
from app.orosanmalningar.models import Orosanmalan
from app.samtycken.models import Samtycke, SamtyckeAterkallelse, SamtyckeSignatur
from app.skolor.models import Skola

__all__ = [
    "Ansvarsplan",
    "Anteckning",
    "Anvandare",
    "Arende",
    "ArendeFas",
    "AuditHandelse",
    "AuditKedja",
    "Avvikelse",
    "AvvikelseVerksamhet",
    "Base",
    "Elev",
    "ElevExterntId",
    "Forbattringsatgard",
    "Franvaroanmalan",
    "Franvaropost",
    "Franvarovecka",
    "Importsvar",
    "Inloggningsforsok",
    "Insats",
    "Integration",
    "Kalenderhandelse",
    "Kallansvar",
    "Kallperson",
    "Kartlaggning",
    "Kommun",
    "Kvalitetsmal",
    "Mote",
    "Narvaroberakning",
    "Narvarogranser",
    "Narvarolage",
    "Orosanmalan",
    "Samtycke",
    "SamtyckeAterkallelse",
    "SamtyckeSignatur",
    "Skola",
    "SkolaExterntId",
    "Uppfoljning",
    "Vardnadshavare",
    "anvandare_skolor",
    "integration_skolor",
]
