import pytest

from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record


def test_the_ict_centre_searches_and_filters_the_audit_log(ict, office, as_user):
    audit_record(action=AuditAction.LOGIN_FAILED, target_repr="someone")
    audit_record(action=AuditAction.ROLE_GRANTED, actor=office, target_repr="Seitov")
    client = as_user(ict)
    events = client.get("/audit/", {"action": AuditAction.LOGIN_FAILED}).context["page"].object_list
    assert [e.target_repr for e in events] == ["someone"]
    events = client.get("/audit/", {"q": "seit"}).context["page"].object_list
    assert [e.action for e in events] == [AuditAction.ROLE_GRANTED]


def test_the_audit_log_page_makes_the_same_queries_for_many_events(ict, as_user, django_assert_max_num_queries):
    for n in range(60):
        audit_record(action=AuditAction.LOGIN_FAILED, target_repr=f"x{n}")
    client = as_user(ict)
    # session, user, count, page of events with their actors
    with django_assert_max_num_queries(5):
        assert client.get("/audit/").status_code == 200


@pytest.mark.parametrize("persona", ["office", "teacher", "student"])
def test_others_may_not_read_the_audit_log(request, persona, as_user):
    assert as_user(request.getfixturevalue(persona)).get("/audit/").status_code == 403
