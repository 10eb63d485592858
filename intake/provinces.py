"""Provinces and territories: postal codes, names in both languages, the zone a caller is
assumed to be in (the volunteer can always say otherwise), and where 911 is missing."""

from __future__ import annotations

from dataclasses import dataclass

from intake.i18n import N_


@dataclass(frozen=True)
class Province:
    code: str
    name_en: str
    name_fr: str
    zone: str  # the most populous zone; NL, QC, ON, BC and NU span several
    has_911: bool = True


PROVINCES: dict[str, Province] = {
    p.code: p
    for p in (
        Province("AB", "Alberta", "Alberta", "America/Edmonton"),
        Province("BC", "British Columbia", "Colombie-Britannique", "America/Vancouver"),
        Province("MB", "Manitoba", "Manitoba", "America/Winnipeg"),
        Province("NB", "New Brunswick", "Nouveau-Brunswick", "America/Moncton"),
        Province("NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador", "America/St_Johns"),
        Province("NS", "Nova Scotia", "Nouvelle-Écosse", "America/Halifax"),
        Province("NT", "Northwest Territories", "Territoires du Nord-Ouest", "America/Yellowknife"),
        # No territory-wide 911: never offer it as the only emergency option.
        Province("NU", "Nunavut", "Nunavut", "America/Iqaluit", has_911=False),
        Province("ON", "Ontario", "Ontario", "America/Toronto"),
        Province("PE", "Prince Edward Island", "Île-du-Prince-Édouard", "America/Halifax"),
        Province("QC", "Quebec", "Québec", "America/Toronto"),
        Province("SK", "Saskatchewan", "Saskatchewan", "America/Regina"),
        Province("YT", "Yukon", "Yukon", "America/Whitehorse"),
    )
}
CODES = tuple(PROVINCES)
ALL = "*"

ROLES = ("physician", "resident", "student", "retired", "family", "other")
# Who a program may serve; "worried" is anyone worried about a physician, "anyone" the public.
AUDIENCE_ROLES = (*ROLES[:-1], "worried", "anyone")
ROLE_NAMES = {
    "physician": N_("Physician"),
    "resident": N_("Resident"),
    "student": N_("Medical student"),
    "retired": N_("Retired physician"),
    "family": N_("Family member"),
    "other": N_("Someone else"),
}


def province_name(code: str, language: str) -> str:
    province = PROVINCES[code]
    return province.name_fr if language == "fr" else province.name_en


def provinces_by_name(language: str) -> list[tuple[str, str]]:
    """(name, code) of every province and territory, in alphabetical order in `language`."""
    return sorted((province_name(code, language), code) for code in PROVINCES)


# In a French sentence a province or territory takes its article: « suggère le Nouveau-Brunswick »,
# « l’Ontario », but « Terre-Neuve-et-Labrador » without one.
_FRENCH_ARTICLES = {
    "AB": "l’",
    "BC": "la ",
    "MB": "le ",
    "NB": "le ",
    "NL": "",
    "NS": "la ",
    "NT": "les ",
    "NU": "le ",
    "ON": "l’",
    "PE": "l’",
    "QC": "le ",
    "SK": "la ",
    "YT": "le ",
}


def province_in_sentence(code: str, language: str) -> str:
    """The name as it reads inside a sentence: with its article in French."""
    name = province_name(code, language)
    return _FRENCH_ARTICLES[code] + name if language == "fr" else name
