"""The documents an application needs (§3.2 applied to the bases of §1.5; rules.md, "Admission documents by
DLT basis"): everyone's, and those each basis adds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import DltBasis


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    EDUCATION = "education", _("Previous-education document (the original)")
    EDUCATION_SUPPLEMENT = "education_supplement", _("Supplement to the education document (transcript)")
    PRIOR_DIPLOMA = "prior_diploma", _("Diploma of TVE, post-secondary or higher education with its supplement")
    PMPC_RECOMMENDATION = "pmpc", _("Recommendations of the psychological-medical-pedagogical consultation")
    DISABILITY_CERTIFICATE = "disability", _("Disability certificate")
    MEDICAL_CERTIFICATE = "medical", _("Medical certificate of the limitation and its term")
    EXCHANGE_CERTIFICATE = "exchange", _("Certificate of study on the exchange programme")
    BUSINESS_TRIP_CERTIFICATE = "business_trip", _("Certificate of the business trip")
    MOBILITY_CERTIFICATE = "mobility", _("Certificate of the academic mobility programme")
    FOREIGN_IDENTITY = "foreign_identity", _("Identity document of the foreign state")
    FAMILY_CIRCUMSTANCE = "family", _("Document of the family circumstance")
    MILITARY_CERTIFICATE = "military", _("Certificate of call-up or military service")
    EMPLOYER_CERTIFICATE = "employer", _("Employer's certificate (the work matches the programme)")
    OTHER = "other", _("Other document")


EVERYONE = (DocumentKind.IDENTITY, DocumentKind.EDUCATION, DocumentKind.EDUCATION_SUPPLEMENT)

BY_BASIS: dict[str, tuple[str, ...]] = {
    DltBasis.SHORTENED: (DocumentKind.PRIOR_DIPLOMA,),
    DltBasis.SPECIAL_NEEDS: (DocumentKind.PMPC_RECOMMENDATION, DocumentKind.DISABILITY_CERTIFICATE),
    DltBasis.TEMPORARY_HEALTH: (DocumentKind.MEDICAL_CERTIFICATE,),
    DltBasis.EXCHANGE: (DocumentKind.EXCHANGE_CERTIFICATE,),
    DltBasis.HIGHER_BLENDED: (),
    DltBasis.BUSINESS_TRIP: (DocumentKind.BUSINESS_TRIP_CERTIFICATE,),
    DltBasis.ACADEMIC_MOBILITY: (DocumentKind.MOBILITY_CERTIFICATE,),
    DltBasis.FOREIGN_FAMILY: (DocumentKind.FOREIGN_IDENTITY, DocumentKind.FAMILY_CIRCUMSTANCE),
    DltBasis.MILITARY_SERVICE: (DocumentKind.MILITARY_CERTIFICATE,),
    DltBasis.WORKING_ADULT: (DocumentKind.EMPLOYER_CERTIFICATE,),
    DltBasis.RESTRICTIONS: (),
}


def required(basis: str) -> tuple[str, ...]:
    """Everyone's documents and the basis's own, in the order the applicant sees them."""
    return (*EVERYONE, *BY_BASIS[basis])
