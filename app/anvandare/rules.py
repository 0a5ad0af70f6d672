"""Which organisation and schools a role may have (DOMAIN.md: roles)."""

from app.auth.roles import Organisation, Roll

_SCHOOL_ROLES = frozenset({Roll.elevhalsa, Roll.rektor})
_TEAM_ORGANISATIONS = frozenset(
    {Organisation.central_elevhalsa, Organisation.socialtjanst, Organisation.region}
)


def role_problems(*, roll: Roll, organisation: Organisation, antal_skolor: int) -> list[str]:
    """What is wrong with the combination; empty when it is allowed."""
    problems = []
    if roll in _SCHOOL_ROLES:
        if organisation not in {Organisation.skola, Organisation.central_elevhalsa}:
            problems.append(f"Rollen {roll} hör till skolan eller central elevhälsa.")
        if antal_skolor == 0:
            problems.append(f"Rollen {roll} behöver minst en skola.")
    if roll is Roll.skolsocialt_team and organisation not in _TEAM_ORGANISATIONS:
        problems.append(
            "Skolsocialt team består av personal från central elevhälsa, socialtjänst eller region."
        )
    return problems
