"""Who may see or change contracts and money.

A contract and its payments are its student's (or admitted applicant's) to read; the academic office (and an
administrator) reads every contract and alone records contracts, signings, addenda, payments, refunds,
discounts and bank statements; the rector reads every contract. Nobody else sees money — not an adviser, not a
teacher, not a classmate: 404 for a contract, nothing in the student's file.
"""

from __future__ import annotations

from django.http import Http404

from ustaz.accounts.models import Role, User

from .models import Contract, ContractYear

OFFICE = (Role.ACADEMIC_OFFICE, Role.ADMIN)
READERS_OF_ALL = (Role.ACADEMIC_OFFICE, Role.ADMIN, Role.RECTOR)


def is_office(user: User) -> bool:
    return user.is_authenticated and user.has_role(*OFFICE)


def reads_every_contract(user: User) -> bool:
    return user.is_authenticated and user.has_role(*READERS_OF_ALL)


def sees_money_of(user: User, student_id: int) -> bool:
    """The student's own money, or the office's and the rector's view of everyone's."""
    return user.is_authenticated and (user.pk == student_id or reads_every_contract(user))


def get_contract_for(user: User, pk: int) -> Contract:
    """A contract: its own student's, or the office's and the rector's."""
    try:
        contract = Contract.objects.select_related("student", "programme").get(pk=pk)
    except Contract.DoesNotExist:
        raise Http404 from None
    if not sees_money_of(user, contract.student_id):
        raise Http404
    return contract


def get_year_for(user: User, pk: int) -> ContractYear:
    try:
        year = ContractYear.objects.select_related("contract__student", "contract__programme").get(pk=pk)
    except ContractYear.DoesNotExist:
        raise Http404 from None
    if not sees_money_of(user, year.contract.student_id):
        raise Http404
    return year
