"""A group's import issues accounts too: it grants no role its importer could not grant one by one."""

import datetime
import io

from testkit.factories import StudyGroupFactory
from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import User
from ustaz.core.models import AuditAction, AuditEvent


def test_a_group_import_may_not_make_an_administrator(office, as_user):
    group = StudyGroupFactory()
    iin = make_iin(datetime.date(2005, 5, 5), female=False, serial=977)
    text = f"last_name,first_name,iin,dlt_basis,roles\nСейітов,Ерлан,{iin},exchange,student;admin\n"
    upload = io.BytesIO(text.encode())
    upload.name = "students.csv"
    response = as_user(office).post("/office/students/import/", {"group": group.pk, "file": upload})
    assert response.status_code == 400
    assert any(line == 2 and "admin" in message for line, message in response.context["errors"])
    assert not User.objects.filter(iin=iin).exists()
    refused = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CHANGE_REFUSED, actor=office)
    assert refused.details == {"attempt": "import", "roles": ["admin"], "file": "students.csv"}
