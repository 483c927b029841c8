"""The enumerated values of the registries and of the exchange platform's records, alone.

Kept apart from the record classes (``domain.registries``, ``domain.exchange``, which re-export them) so that
what only needs the vocabulary — the registry definitions a plan names, the count SQL — does not build every
record class: ``scicity status`` imports this and not them.
"""

from __future__ import annotations

from enum import StrEnum


class RegistryKind(StrEnum):
    INSTITUTIONS = "institutions"
    ENTERPRISES = "enterprises"
    CERTIFICATIONS = "certifications"
    FINANCIALS = "financials"
    TALENT = "talent"
    PATENTS = "patents"


class InstitutionType(StrEnum):
    MAJOR_FACILITY = "major_facility"  # major sci-tech infrastructure facility
    NATIONAL_INDUSTRY_PLATFORM = "national_industry_platform"  # national industrial innovation platform
    RD_INSTITUTION = "rd_institution"  # R&D institution
    KEY_LAB = "key_lab"  # key laboratory
    PILOT_PLATFORM = "pilot_platform"  # pilot-scale maturation platform
    OTHER = "other"


class InstitutionLevel(StrEnum):
    DISTRICT = "district"
    MUNICIPAL = "municipal"
    NATIONAL = "national"


class CertificationKind(StrEnum):
    TECH_SME = "tech_sme"  # technology-based SME
    HIGH_TECH = "high_tech"  # high-tech enterprise (three-year certificate)
    SPECIALISED = "specialised"  # 专精特新 SME (specialised, refined, distinctive, innovative)
    LITTLE_GIANT = "little_giant"  # 专精特新"小巨人" (little giant)
    GAZELLE = "gazelle"
    POTENTIAL_UNICORN = "potential_unicorn"
    UNICORN = "unicorn"


class TalentTier(StrEnum):
    TOP = "top"
    OUTSTANDING = "outstanding"
    LEADING = "leading"
    YOUNG = "young"


class PatentType(StrEnum):
    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"


class ContractType(StrEnum):
    DEVELOPMENT = "development"
    TRANSFER = "transfer"
    CONSULTING = "consulting"
    SERVICE = "service"


class SellerType(StrEnum):
    UNIVERSITY = "university"
    INSTITUTE = "institute"
    ENTERPRISE = "enterprise"
    OTHER = "other"


class FacilityKind(StrEnum):
    INSTRUMENT = "instrument"
    LAB = "lab"
    PILOT_LINE = "pilot_line"


class TalentDirection(StrEnum):
    TO_ENTERPRISE = "to_enterprise"  # researcher part-time or seconded (科技副总, 产业教授)
    TO_UNIVERSITY = "to_university"  # engineer teaching or researching in a university


class DealStage(StrEnum):
    MATCHED = "matched"
    CONTACTED = "contacted"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    REGISTERED = "registered"
    DELIVERED = "delivered"
    DROPPED = "dropped"
