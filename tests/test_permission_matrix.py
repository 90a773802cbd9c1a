"""The permission matrix (issue 13): every URL pattern of the project, its ids filled from a small university
(testkit.university), requested by each kind of person, against the outcome written once per view below.

A URL pattern with no expectation fails the test, and so does an expectation naming a URL that is gone: a
new page must say who may open it. POST-only views are requested by GET (405) and, by the persons who must
be refused, by POST with an empty body (refused, and nothing written). No GET may change the database.

The Django admin is one group: its index and a few change lists are tried; its other pages ask the same
site-wide and per-model permissions."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from testkit.university import PERSONS, build

# The module's tests read what the module-scoped fixtures saw; the mark makes pytest-django set up the database.
pytestmark = pytest.mark.django_db

# --- Outcomes ------------------------------------------------------------------------------------------
OK = "OK"  # 2xx
DENIED = "DENIED"  # 403 or 404
FORBIDDEN = "FORBIDDEN"  # 403 exactly
NOT_FOUND = "NOT_FOUND"  # 404 exactly
LOGIN = "LOGIN"  # a redirect to the login page
REDIRECT = "REDIRECT"  # another redirect
NOT_ALLOWED = "NOT_ALLOWED"  # 405: a GET on a POST-only view
SHOWN = "SHOWN"  # 2xx or a redirect other than to the login page: let through, however the page answers

MATCHES = {
    OK: lambda status, login: 200 <= status < 300,
    DENIED: lambda status, login: status in (403, 404),
    FORBIDDEN: lambda status, login: status == 403,
    NOT_FOUND: lambda status, login: status == 404,
    LOGIN: lambda status, login: login,
    REDIRECT: lambda status, login: 300 <= status < 400 and not login,
    NOT_ALLOWED: lambda status, login: status == 405,
    SHOWN: lambda status, login: 200 <= status < 400 and not login,
}


# --- The URL configuration, walked -----------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    name: str  # namespaced: "grades:transcript"
    route: str  # the pattern's text, for messages
    params: tuple[str, ...]  # the kwargs its converters take
    defaults: tuple[str, ...]  # the kwargs the pattern passes itself


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            route = prefix + str(entry.pattern)
            converters = getattr(entry.pattern, "converters", {})
            params = tuple(converters) or tuple(re.findall(r"\(\?P<(\w+)>", route))
            yield Route(name, route, params, tuple(entry.default_args))


def project_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver()):
        routes.setdefault(route.name, route)  # the first pattern of a name is the one reverse() builds
    return routes


# --- Each pattern's kwargs, from the university ------------------------------------------------------------
def _course(uni, **more):
    return {"pk": uni.course.pk, **more}


# Keyed by URL name: every pattern with parameters is here (a missing one fails with its name).
KWARGS = {
    "curricula:curriculum": lambda u: {"pk": u.curriculum.pk},
    "curricula:export": lambda u: {"pk": u.curriculum.pk},
    # The office edits the draft of the next version.
    "curricula:line_add": lambda u: {"pk": u.curriculum_draft.pk},
    "curricula:line_edit": lambda u: {"pk": u.curriculum_draft.pk, "line_pk": u.curriculum_draft_line.pk},
    "curricula:line_remove": lambda u: {"pk": u.curriculum_draft.pk, "line_pk": u.curriculum_draft_line.pk},
    "curricula:group_add": lambda u: {"pk": u.curriculum_draft.pk},
    "curricula:group_edit": lambda u: {"pk": u.curriculum_draft.pk, "group_pk": u.curriculum_draft_group.pk},
    "curricula:group_remove": lambda u: {"pk": u.curriculum_draft.pk, "group_pk": u.curriculum_draft_group.pk},
    "curricula:approve": lambda u: {"pk": u.curriculum_draft.pk},
    "curricula:new_version": lambda u: {"pk": u.curriculum.pk},
    "curricula:import": lambda u: {"pk": u.curriculum_draft.pk},
    "attestation:commission": lambda u: {"pk": u.attestation_commission.pk},
    "attestation:member_add": lambda u: {"pk": u.attestation_commission.pk},
    "attestation:member_issue": lambda u: {"pk": u.attestation_commission.pk},
    "attestation:member_remove": lambda u: {"pk": u.attestation_commission.pk, "member_pk": u.attestation_member.pk},
    "attestation:conflict": lambda u: {"pk": u.attestation_commission.pk},
    "attestation:admission": lambda u: {"pk": u.attestation_commission.pk},
    "attestation:student": lambda u: {"pk": u.attestation_commission.pk, "student_pk": u.people["owner"].pk},
    "plans:plan": lambda u: {"pk": u.study_plan.pk},
    "plans:approve": lambda u: {"pk": u.study_plan.pk},
    "plans:return": lambda u: {"pk": u.study_plan.pk},
    "plans:reopen": lambda u: {"pk": u.study_plan.pk},
    "plans:window": lambda u: {"pk": u.elective_window.pk},
    "plans:window_close": lambda u: {"pk": u.elective_window.pk},
    "import_job": lambda u: {"pk": u.import_job.pk},
    "accounts:import_collect": lambda u: {"pk": u.import_job.pk},
    "accounts:person": lambda u: {"pk": u.people["owner"].pk},
    "accounts:person_role": lambda u: {"pk": u.people["owner"].pk},
    "accounts:person_reissue": lambda u: {"pk": u.people["owner"].pk},
    "academics:course_enrol": lambda u: _course(u),
    "academics:student_basis": lambda u: {"pk": u.student_record.pk},
    "academics:basis_document": lambda u: {"pk": u.student_record.pk},
    "academics:measure": lambda u: {"pk": u.restrictive_measure.pk},
    "academics:measure_end": lambda u: {"pk": u.restrictive_measure.pk},
    "academics:student_file": lambda u: {"pk": u.student_record.pk},
    "academics:group_advisor": lambda u: {"pk": u.group.pk},
    # Orders on students: the owner's enrolment order (issued, applied) and a draft about the classmate.
    "records:order": lambda u: {"pk": u.status_order.pk},
    "records:order_issue": lambda u: {"pk": u.status_order_draft.pk},
    "records:order_delete": lambda u: {"pk": u.status_order_draft.pk},
    "records:order_pdf": lambda u: {"pk": u.status_order.pk, "language": "kk"},
    "records:extract_pdf": lambda u: {"pk": u.status_order.pk, "record_pk": u.student_record.pk, "language": "ru"},
    "records:history": lambda u: {"pk": u.student_record.pk},
    "materials:course": lambda u: _course(u),
    "materials:section_add": lambda u: _course(u),
    "materials:material_add": lambda u: _course(u),
    "materials:material": lambda u: _course(u, material_pk=u.material.pk),
    "materials:material_file": lambda u: _course(u, material_pk=u.file_material.pk),
    "materials:material_downloads": lambda u: _course(u, material_pk=u.file_material.pk),
    "materials:material_edit": lambda u: _course(u, material_pk=u.material.pk),
    "materials:material_publish": lambda u: _course(u, material_pk=u.draft_material.pk),
    "materials:material_move": lambda u: _course(u, material_pk=u.material.pk),
    "materials:material_delete": lambda u: _course(u, material_pk=u.material.pk),
    "grades:course": lambda u: _course(u),
    "grades:cell": lambda u: _course(u),
    "grades:export": lambda u: _course(u),
    "grades:import": lambda u: _course(u),
    "grades:history": lambda u: _course(u),
    "grades:appeal_file": lambda u: _course(u),
    "grades:transcript": lambda u: {"student_pk": u.people["owner"].pk},
    "grades:appeal_decide": lambda u: {"appeal_pk": u.appeal.pk},
    "grades:appeal_protocol": lambda u: {"appeal_pk": u.decided_appeal.pk, "lang": "kk"},
    "grades:appeal_commission_edit": lambda u: {"commission_pk": u.appeal_commission.pk},
    "grades:statement": lambda u: _course(u, group_pk=u.group.pk, fmt="pdf"),
    "grades:item_add": lambda u: _course(u),
    "grades:retake_open": lambda u: _course(u),
    "grades:restudy": lambda u: _course(u),
    "grades:item_lock": lambda u: _course(u, item_pk=u.grade_item.pk),
    "grades:final_transcript": lambda u: {"student_pk": u.people["owner"].pk},
    "grades:final_transcript_pdf": lambda u: {"student_pk": u.people["owner"].pk},
    "grades:graduates": lambda u: {"group_pk": u.group.pk},
    "notifications:open": lambda u: {"pk": u.notice.pk},
    "live:course": lambda u: _course(u),
    "live:class_create": lambda u: _course(u),
    "live:course_attendance": lambda u: _course(u),
    "live:class": lambda u: _course(u, class_pk=u.live_class.pk),
    "live:class_edit": lambda u: _course(u, class_pk=u.live_class.pk),
    "live:class_cancel": lambda u: _course(u, class_pk=u.live_class.pk),
    "live:join": lambda u: _course(u, class_pk=u.live_class.pk),
    "live:class_end": lambda u: _course(u, class_pk=u.live_class.pk),
    "live:attendance": lambda u: _course(u, class_pk=u.live_class.pk),
    "live:recording_add": lambda u: _course(u, class_pk=u.live_class.pk),
    "live:recordings_refresh": lambda u: _course(u, class_pk=u.live_class.pk),
    "live:bbb_ended": lambda u: {"class_pk": u.live_class.pk},
    "live:feed": lambda u: {"token": u.feed_token},
    "discussions:room": lambda u: {"pk": u.room.pk},
    "discussions:history": lambda u: {"pk": u.direct_room.pk},
    "discussions:attachment_upload": lambda u: {"pk": u.direct_room.pk},
    "discussions:attachment": lambda u: {"pk": u.attachment.pk},
    "discussions:direct": lambda u: {"user_pk": u.people["owner"].pk},
    "discussions:course_room": lambda u: _course(u),
    "discussions:group_room": lambda u: _course(u, group_pk=u.group.pk),
    "discussions:course_forum": lambda u: _course(u),
    "discussions:course_announcements": lambda u: _course(u),
    "discussions:forum": lambda u: {"pk": u.forum.pk},
    "discussions:thread_create": lambda u: {"pk": u.forum.pk},
    "discussions:subscribe": lambda u: {"pk": u.forum.pk},
    "discussions:thread": lambda u: {"pk": u.thread.pk},
    "discussions:thread_moderate": lambda u: {"pk": u.thread.pk},
    "discussions:post_delete": lambda u: {"pk": u.thread.pk, "post_pk": u.post.pk},
    "discussions:post_file": lambda u: {"pk": u.post_file.pk},
    "assignments:course": lambda u: _course(u),
    "assignments:create": lambda u: _course(u),
    "assignments:assignment": lambda u: _course(u, assignment_pk=u.assignment.pk),
    "assignments:edit": lambda u: _course(u, assignment_pk=u.assignment.pk),
    "assignments:submit": lambda u: _course(u, assignment_pk=u.assignment.pk),
    "assignments:instructions_file": lambda u: _course(u, assignment_pk=u.assignment.pk, file_pk=u.assignment_file.pk),
    "assignments:uploads": lambda u: _course(u, assignment_pk=u.assignment.pk),
    "assignments:upload": lambda u: _course(u, assignment_pk=u.assignment.pk, upload_id=u.upload.pk),
    "assignments:submission": lambda u: {"submission_pk": u.submission.pk},
    "assignments:file": lambda u: {"file_pk": u.submission_file.pk},
    "assignments:comment": lambda u: {"file_pk": u.submission_file.pk},
    "quizzes:bank": lambda u: {"pk": u.bank.pk},
    "quizzes:bank_import": lambda u: {"pk": u.bank.pk, "import_pk": u.bank_import.pk},
    "quizzes:bank_export": lambda u: {"pk": u.bank.pk, "fmt": "gift"},
    "quizzes:question_edit": lambda u: {"pk": u.bank.pk, "question_pk": u.question.pk},
    "quizzes:regrade": lambda u: _course(u, test_pk=u.test.pk, question_pk=u.question.pk),
    "quizzes:course": lambda u: _course(u),
    "quizzes:create": lambda u: _course(u),
    "quizzes:test": lambda u: _course(u, test_pk=u.test.pk),
    "quizzes:edit": lambda u: _course(u, test_pk=u.test.pk),
    "quizzes:start": lambda u: _course(u, test_pk=u.test.pk),
    "quizzes:attempt": lambda u: {"attempt_pk": u.attempt.pk},
    "quizzes:save": lambda u: {"attempt_pk": u.attempt.pk},
    "quizzes:media": lambda u: {"attempt_pk": u.attempt.pk, "position": 0},
    "quizzes:option_media": lambda u: {"attempt_pk": u.attempt.pk, "position": 0, "option": 0},
    "quizzes:event": lambda u: {"attempt_pk": u.attempt.pk},
    "quizzes:submit": lambda u: {"attempt_pk": u.attempt.pk},
    "quizzes:take_over": lambda u: {"attempt_pk": u.attempt.pk},
    "quizzes:review": lambda u: {"attempt_pk": u.attempt.pk},
    "quizzes:essay_grade": lambda u: {"attempt_pk": u.attempt.pk, "position": u.essay_position},
    "admissions:apply": lambda u: {"offer_pk": u.offer.pk},
    "admissions:application": lambda u: {"pk": u.application.pk},
    "admissions:document_upload": lambda u: {"pk": u.draft_application.pk},
    "admissions:submit": lambda u: {"pk": u.draft_application.pk},
    "admissions:document": lambda u: {"pk": u.document.pk},
    "admissions:review": lambda u: {"pk": u.application.pk},
    "admissions:campaign": lambda u: {"pk": u.campaign.pk},
    "admissions:exam": lambda u: {"pk": u.exam.pk},
    "admissions:exam_score": lambda u: {"pk": u.exam.pk, "application_pk": u.admitted_application.pk},
    "admissions:exam_publish": lambda u: {"pk": u.exam.pk},
    "admissions:exam_join": lambda u: {"pk": u.exam.pk},
    "admissions:recording_upload": lambda u: {"pk": u.recording_exam.pk, "application_pk": u.examinee_application.pk},
    "admissions:recording": lambda u: {"pk": u.recording.pk},
    "admissions:ranking": lambda u: {"pk": u.offer.pk},
    "admissions:decision_pdf": lambda u: {"pk": u.decision.pk, "language": "kk"},
    "admissions:contract_create": lambda u: {"pk": u.admitted_application.pk},
    "admissions:enrol": lambda u: {"pk": u.admitted_application.pk},
    "contracts:contract": lambda u: {"pk": u.owner_contract.pk},
    "contracts:contract_pdf": lambda u: {"pk": u.owner_contract.pk, "language": "kk"},
    "contracts:addendum_pdf": lambda u: {"pk": u.addendum_year.pk, "language": "ru"},
    "contracts:create": lambda u: {"record_pk": u.classmate_record.pk},
    "account_confirm_email": lambda u: {"key": "no-such-key"},
    "account_reset_password_from_key": lambda u: {"uidb36": "1", "key": "no-such-key"},
    "admin:academics_course_change": lambda u: {"object_id": u.course.pk},
}

# The admin's pages tried; every other admin page is covered by the same site and per-model permissions.
ADMIN_TRIED = (
    "admin:index",
    "admin:academics_course_changelist",
    "admin:academics_course_change",
    "admin:accounts_user_changelist",
    "admin:core_auditevent_changelist",
    "admin:admissions_campaign_changelist",
)


def tried_names(routes: dict[str, Route]) -> list[str]:
    return sorted(n for n in routes if not n.startswith("admin:") or n in ADMIN_TRIED)


# --- The university and every request, made once for the module ----------------------------------------
@pytest.fixture(autouse=True)
def _media_root():
    """The university's files live in the module's storage (set below), not in each test's."""
    yield


def _counts_sql() -> tuple[list[str], str]:
    # Sessions are left out: logging in and visiting pages keep them, which is no side effect of a view.
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed} - {"django_session"}
    )
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608 - the models' tables
    return tables, f"SELECT {columns}"


def _snapshot(tables, sql) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


# Sessions and the database cache (rate limits, cached fragments) are no state a view changes.
NOT_STATE = {"django_session"} | {
    c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith("DatabaseCache")
}
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)


@dataclass(frozen=True)
class Seen:
    status: int
    login: bool  # a redirect to a login page (the site's or the admin's)
    location: str
    changed: tuple[str, ...]  # tables the request wrote to (rows added, removed or updated)
    error: str = ""


@pytest.fixture(scope="module")
def university(django_db_setup, django_db_blocker, tmp_path_factory):
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("media"))},
        },
    }
    # The fixture's people have no one-time password to change; staff are not made to enrol TOTP here (the
    # account policy's redirect is tried in accounts' own tests), so every page answers for itself.
    with (
        override_settings(
            STORAGES=storages,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MFA_REQUIRED_FOR_STAFF=False,
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        from testkit import caches

        caches.clear()
        uni = build()
        yield uni
        transaction.set_rollback(True)


class Visitors:
    """One client per person, logged in once: a client builds its middleware (WhiteNoise scans the static files)
    on its first request, too slow to repeat for each of the matrix's requests."""

    def __init__(self, uni):
        self.uni, self.clients = uni, {}

    def client(self, person: str) -> Client:
        user = self.uni.people[person]
        if person not in self.clients:
            self.clients[person] = Client(raise_request_exception=False)
        client = self.clients[person]
        if user is not None and client.session.get("_auth_user_id") != str(user.pk):
            # First use, or a page rotated the session (its new row rolled back with the request's savepoint).
            client.force_login(user)
        return client


def _request(visitors: Visitors, person: str, method: str, url: str, tables, sql) -> Seen:
    client = visitors.client(person)
    before = _snapshot(tables, sql)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        # Each request in a savepoint, so a refused write that half happened is seen and then undone.
        response = getattr(client, method)(url)
        after = _snapshot(tables, sql)
        transaction.set_rollback(True)
    # A write is a table whose rows were counted otherwise after, or any INSERT, UPDATE or DELETE the request
    # sent (an update changes no count).
    written = {m.group(1) for q in queries.captured_queries if (m := WRITE.match(q["sql"]))} - NOT_STATE
    changed = tuple(sorted({t for t in tables if before[t] != after[t]} | written))
    location = response.get("Location", "")
    login_paths = (reverse("account_login"), reverse("admin:login"))
    login = 300 <= response.status_code < 400 and location.split("?")[0].endswith(login_paths)
    error = ""
    if response.status_code >= 500:
        error = repr(getattr(response, "exc_info", None) or response.content[:300])
    if hasattr(response, "close"):
        # Closing a response sends request_finished, whose close_old_connections would drop the database
        # connection of the module's open transaction on PostgreSQL (the test client unhooks it only during the
        # request itself); the file handles of streamed responses are closed all the same.
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
    return Seen(response.status_code, login, location, changed, error)


def _url(uni, route: Route) -> str:
    params = set(route.params) - set(route.defaults)
    kwargs = KWARGS[route.name](uni) if params else {}
    return reverse(route.name, kwargs=kwargs)


# Cases beyond one per URL name: the same pattern with other objects (the name, then the variant in brackets).
VARIANTS = {
    "curricula:curriculum[draft]": lambda u: {"pk": u.curriculum_draft.pk},
    "curricula:export[draft]": lambda u: {"pk": u.curriculum_draft.pk},
    "admissions:review[draft]": lambda u: {"pk": u.draft_application.pk},
    "admissions:document[draft]": lambda u: {"pk": u.draft_document.pk},
    "materials:material[draft]": lambda u: _course(u, material_pk=u.draft_material.pk),
    "assignments:submission[other course]": lambda u: {"submission_pk": u.other_submission.pk},
}


# --- Expected outcomes, written once per view ---------------------------------------------------------------
LOGGED_IN = PERSONS[1:]
REFUSED = "REFUSED"  # 400, 403, 404, 405 or a redirect to the login page: what a refused POST may answer
# (400: allauth's own forms refuse an empty POST before they ask who is logged in.)
MATCHES[REFUSED] = lambda status, login: status in (400, 403, 404, 405) or login
REFUSALS = {DENIED, FORBIDDEN, NOT_FOUND, LOGIN, 412}


@dataclass(frozen=True)
class Expect:
    get: dict[str, object]  # person -> outcome (a symbol above, or an exact status code)
    post: dict[str, object]  # the persons refused a POST with an empty body -> its outcome


def persons(default, *, anonymous=LOGIN, **cells) -> dict[str, object]:
    assert set(cells) <= set(PERSONS), set(cells) - set(PERSONS)
    return {"anonymous": anonymous, **dict.fromkeys(LOGGED_IN, default), **cells}


def page(table: dict[str, object]) -> Expect:
    """A page: whoever may not open it may not post to it either."""
    return Expect(table, {p: REFUSED for p, outcome in table.items() if outcome in REFUSALS - {412}})


def post_only(who: dict[str, object], **get) -> Expect:
    """A POST-only view: a GET is 405 (after the login, when the view asks it first); the persons refused in
    `who` are refused a POST too."""
    return Expect(persons(NOT_ALLOWED, **get), {p: outcome for p, outcome in who.items() if outcome in REFUSALS})


def everyone(outcome=OK, *, anonymous=LOGIN, **cells) -> Expect:
    return page(persons(outcome, anonymous=anonymous, **cells))


def public(outcome=OK, **cells) -> Expect:
    return page(persons(outcome, **{"anonymous": outcome, **cells}))


def course_readers(**cells) -> dict[str, object]:
    """A course's students and teacher, the office and the rector read its pages; nobody else learns it exists."""
    return persons(NOT_FOUND, **{"owner": OK, "classmate": OK, "teacher": OK, "office": OK, "rector": OK, **cells})


def course_editors(**cells) -> dict[str, object]:
    """Its teacher and the office change a course; its students and the rector are refused, others get 404."""
    return persons(
        NOT_FOUND,
        **{"owner": FORBIDDEN, "classmate": FORBIDDEN, "teacher": OK, "office": OK, "rector": FORBIDDEN, **cells},
    )


def owner_and_teacher(**cells) -> dict[str, object]:
    """A student's own work: the student, the course's teacher and the office."""
    return persons(NOT_FOUND, **{"owner": OK, "teacher": OK, "office": OK, **cells})


def office_only(**cells) -> dict[str, object]:
    return persons(FORBIDDEN, **{"office": OK, **cells})


def account_managers(**cells) -> dict[str, object]:
    return persons(FORBIDDEN, **{"office": OK, "ict": OK, **cells})


def admission_reviewers(**cells) -> dict[str, object]:
    """The academic office, the rector and the campaign's commission; 404 for anybody else."""
    return persons(NOT_FOUND, **{"office": OK, "rector": OK, "commission": OK, **cells})


def admission_office(**cells) -> dict[str, object]:
    return persons(NOT_FOUND, **{"office": OK, **cells})


def admin_site(**cells) -> Expect:
    """The Django admin opens to the office and the ICT centre (Ustaz roles); the rest are sent to its login."""
    return page(persons(LOGIN, **{"office": OK, "ict": OK, **cells}))


def allauth(outcome, *, anonymous=LOGIN) -> Expect:
    """allauth's own account pages: the same for every logged-in person."""
    return everyone(outcome, anonymous=anonymous)


CURRICULUM_READERS = ("owner", "classmate", "other_group", "teacher", "other_teacher", "office", "rector")


def curriculum_editors() -> dict[str, object]:
    """A draft: the office edits it, the rector reads it (403 to edit), nobody else knows of it."""
    return persons(NOT_FOUND, office=OK, rector=FORBIDDEN)


EXPECTED: dict[str, Expect] = {
    # --- Home, health, benchmarks ---
    "home": everyone(),
    "health": public(),
    "bare": public(),
    # --- Accounts ---
    "accounts:people": page(account_managers()),
    "accounts:issue": page(account_managers()),
    "accounts:import": page(account_managers()),
    "accounts:issued": page(account_managers()),
    # The slips are of the passwords issued in this session: none here, so back to the people page.
    "accounts:issued_slips": page(account_managers(office=REDIRECT, ict=REDIRECT)),
    # A background import is its starter's (the office here): nobody else learns it exists.
    "import_job": page(persons(NOT_FOUND, office=OK)),
    # Hands the passwords over once: a POST, by the starter alone.
    "accounts:import_collect": post_only(persons(NOT_FOUND, office=REDIRECT)),
    "accounts:person": page(account_managers()),
    "accounts:person_role": post_only(account_managers()),
    "accounts:person_reissue": post_only(account_managers()),
    "accounts:profile": everyone(),
    "accounts:audit_log": page(persons(FORBIDDEN, ict=OK)),
    # Anybody, logged in or not, chooses the interface's language.
    "accounts:set_language": post_only(persons(OK, anonymous=OK), anonymous=NOT_ALLOWED),
    # --- Academic structure (the office) ---
    "academics:course_create": page(office_only()),
    "academics:course_enrol": page(office_only()),
    "academics:students_import": page(office_only()),
    # The DLT basis (§1.5): students' bases, their documents and restrictive measures are the office's.
    "academics:bases": page(office_only()),
    "academics:student_basis": page(office_only()),
    "academics:basis_document": page(office_only()),
    "academics:measures": page(office_only()),
    "academics:measure_create": page(office_only()),
    "academics:measure": page(office_only()),
    "academics:measure_end": post_only(office_only()),
    # The student's file (issue 22): the student, their group's adviser (teacher), the office and the rector;
    # nobody else learns it exists. Everyone has "my file" (a page saying there is none without a record).
    "academics:student_file": page(persons(NOT_FOUND, owner=OK, teacher=OK, office=OK, rector=OK)),
    "academics:my_file": everyone(),
    "academics:students": page(persons(FORBIDDEN, office=OK, rector=OK)),
    "academics:advisees": page(persons(FORBIDDEN, teacher=OK, other_teacher=OK)),
    "academics:groups": page(office_only()),
    "academics:group_advisor": post_only(office_only()),
    # --- Orders on students (docs/decisions/0014): the office drafts and issues, the rector reads; a student
    # reads their own history and the extract of each issued order about them; others do not learn they exist.
    "records:orders": page(persons(FORBIDDEN, office=OK, rector=OK)),
    "records:order_create": page(office_only()),
    "records:order": page(persons(NOT_FOUND, office=OK, rector=OK)),
    "records:order_pdf": page(persons(NOT_FOUND, office=OK, rector=OK)),
    "records:order_issue": post_only(persons(NOT_FOUND, office=OK, rector=FORBIDDEN)),
    "records:order_delete": post_only(persons(NOT_FOUND, office=OK, rector=FORBIDDEN)),
    "records:extract_pdf": page(persons(NOT_FOUND, owner=OK, office=OK, rector=OK)),
    # The owner's history is read by the owner, the office, the rector and the group's adviser (the teacher in
    # testkit.university since the student's file): records.access.can_read_history lets the adviser in.
    "records:history": page(persons(NOT_FOUND, owner=OK, teacher=OK, office=OK, rector=OK)),
    # --- Materials ---
    "materials:course": page(course_readers()),
    "materials:material": page(course_readers()),
    # A draft is its editors' until published.
    "materials:material[draft]": page(course_readers(owner=NOT_FOUND, classmate=NOT_FOUND, rector=NOT_FOUND)),
    "materials:material_file": page(course_readers()),
    "materials:material_downloads": page(course_editors()),
    "materials:material_add": page(course_editors()),
    "materials:material_edit": page(course_editors()),
    "materials:section_add": post_only(course_editors()),
    "materials:material_publish": post_only(course_editors(owner=NOT_FOUND, classmate=NOT_FOUND, rector=NOT_FOUND)),
    "materials:material_move": post_only(course_editors()),
    "materials:material_delete": post_only(course_editors()),
    # --- Grades ---
    "grades:course": page(course_readers()),
    "grades:history": page(course_readers()),
    "grades:export": page(course_editors(rector=OK)),
    "grades:statement": page(course_editors(rector=OK)),
    "grades:import": page(course_editors()),
    "grades:cell": post_only(course_editors()),
    "grades:item_add": post_only(course_editors()),
    "grades:item_lock": post_only(course_editors(teacher=FORBIDDEN)),
    "grades:retake_open": post_only(course_editors(teacher=FORBIDDEN)),
    "grades:restudy": post_only(course_editors(teacher=FORBIDDEN)),
    # The appeal is the owner's (filed once, within a working day of the exam grade).
    "grades:appeal_file": post_only(
        course_readers(classmate=NOT_FOUND, teacher=FORBIDDEN, office=FORBIDDEN, rector=FORBIDDEN)
    ),
    # Grade appeals are decided by a member of the appeal's appeal commission (none of these persons; see
    # ustaz/grades/tests/test_appeal_commission.py); the office sees them and their protocols, deciding none; the
    # admission commission, the teacher and the students have no say (decision 0019).
    "grades:appeals": page(persons(FORBIDDEN, office=OK)),
    "grades:appeal_decide": page(persons(FORBIDDEN, office=OK)),
    "grades:appeal_protocol": page(persons(FORBIDDEN, office=OK)),
    # The office sets the appeal commissions.
    "grades:appeal_commissions": page(persons(FORBIDDEN, office=OK)),
    "grades:appeal_commission_add": page(persons(FORBIDDEN, office=OK)),
    "grades:appeal_commission_edit": page(persons(FORBIDDEN, office=OK)),
    # A transcript is a student's own: whoever has no student record (an applicant, staff) has none; the office
    # prints anybody's below.
    "grades:my_transcript": page(persons(FORBIDDEN, owner=OK, classmate=OK, other_group=OK)),
    "grades:transcript": page(office_only()),
    # The diploma's result (decision 0020): the student's own, their group's adviser (the teacher), the office
    # and the rector; nobody else is told it exists. The group's honours: the office, the rector, the adviser.
    "grades:final_transcript": page(persons(NOT_FOUND, owner=OK, teacher=OK, office=OK, rector=OK)),
    "grades:final_transcript_pdf": page(persons(NOT_FOUND, owner=OK, teacher=OK, office=OK, rector=OK)),
    "grades:graduates": page(persons(NOT_FOUND, teacher=OK, office=OK, rector=OK)),
    # --- Notices ---
    "notifications:inbox": everyone(),
    "notifications:preferences": everyone(),
    "notifications:open": post_only(persons(NOT_FOUND, owner=OK)),
    "notifications:read_all": post_only(persons(OK)),
    # --- Live classes ---
    "live:course": page(course_readers()),
    "live:class": page(course_readers()),
    "live:course_attendance": page(course_readers(owner=NOT_FOUND, classmate=NOT_FOUND)),
    "live:class_create": page(course_editors()),
    "live:class_edit": page(course_editors()),
    "live:attendance": page(course_editors()),
    "live:class_cancel": post_only(course_editors()),
    "live:class_end": post_only(course_editors()),
    "live:recording_add": post_only(course_editors()),
    "live:recordings_refresh": post_only(course_editors()),
    "live:join": post_only(course_readers()),
    # BigBlueButton's callbacks carry their own signed token: without it, nobody.
    "live:bbb_ended": public(NOT_FOUND),
    "live:bbb_recording_ready": post_only(persons(DENIED, anonymous=DENIED), anonymous=NOT_ALLOWED),
    "live:calendar": everyone(),
    # The feed's secret address is its key (calendar programs fetch it without logging in).
    "live:feed": public(),
    # --- Discussions ---
    "discussions:inbox": everyone(),
    "discussions:room": page(course_readers()),
    "discussions:course_room": page(
        course_readers(**dict.fromkeys(("owner", "classmate", "teacher", "office", "rector"), REDIRECT))
    ),
    "discussions:group_room": page(
        course_readers(**dict.fromkeys(("owner", "classmate", "teacher", "office", "rector"), REDIRECT))
    ),
    # The direct conversation of the owner and the teacher: its two people.
    "discussions:history": page(persons(NOT_FOUND, owner=OK, teacher=OK)),
    "discussions:attachment": page(persons(NOT_FOUND, owner=OK, teacher=OK)),
    "discussions:attachment_upload": post_only(persons(NOT_FOUND, owner=OK, teacher=OK)),
    # A conversation with the owner: the teacher is sent to theirs, the office may start one (shown or sent on;
    # a GET creates nothing); the rest may not write to the owner.
    "discussions:direct": page(persons(NOT_FOUND, teacher=REDIRECT, office=SHOWN)),
    "discussions:course_forum": page(
        course_readers(**dict.fromkeys(("owner", "classmate", "teacher", "office", "rector"), REDIRECT))
    ),
    "discussions:course_announcements": page(
        course_readers(**dict.fromkeys(("owner", "classmate", "teacher", "office", "rector"), REDIRECT))
    ),
    "discussions:university_announcements": everyone(REDIRECT),
    "discussions:forum": page(course_readers()),
    "discussions:thread": page(course_readers()),
    "discussions:post_file": page(course_readers()),
    "discussions:thread_create": page(course_readers(rector=FORBIDDEN)),
    "discussions:subscribe": post_only(course_readers()),
    "discussions:thread_moderate": post_only(course_editors()),
    "discussions:post_delete": post_only(course_readers(classmate=FORBIDDEN)),
    # --- Assignments ---
    "assignments:course": page(course_readers()),
    "assignments:assignment": page(course_readers()),
    "assignments:instructions_file": page(course_readers()),
    "assignments:create": page(course_editors()),
    "assignments:edit": page(course_editors()),
    "assignments:submit": post_only(course_readers(teacher=FORBIDDEN, office=FORBIDDEN, rector=FORBIDDEN)),
    # tus: the collection answers POST (and OPTIONS) to the course's people, 404 to the rest; a POST without
    # the tus header is refused (412) before the question who may hand in, and makes nothing.
    "assignments:uploads": post_only(
        course_readers(teacher=412, office=412, rector=412),
        **dict.fromkeys(("other_group", "other_teacher", "applicant", "ict", "commission"), NOT_FOUND),
    ),
    # The owner's upload: a plain GET lacks the tus header (412); nobody else learns it exists.
    "assignments:upload": page(persons(NOT_FOUND, owner=412)),
    "assignments:submission": page(owner_and_teacher()),
    # The other group's work in the other course: its student, that course's teacher and the office.
    "assignments:submission[other course]": page(persons(NOT_FOUND, other_group=OK, other_teacher=OK, office=OK)),
    "assignments:file": page(owner_and_teacher()),
    "assignments:comment": post_only(owner_and_teacher()),
    # The teachers' queue of work to review: teachers only.
    "assignments:queue": page(persons(FORBIDDEN, teacher=OK, other_teacher=OK)),
    # --- Tests ---
    "quizzes:banks": page(persons(NOT_FOUND, teacher=OK, other_teacher=OK, office=OK)),
    "quizzes:bank": page(persons(NOT_FOUND, teacher=OK, office=OK)),
    # A bank's import and its progress: the bank's managers.
    "quizzes:bank_import": page(persons(NOT_FOUND, teacher=OK, office=OK)),
    "quizzes:bank_export": page(persons(NOT_FOUND, teacher=OK, office=OK)),
    "quizzes:question_edit": page(persons(NOT_FOUND, teacher=OK, office=OK)),
    "quizzes:xlsx_template": everyone(),
    "quizzes:course": page(course_readers()),
    "quizzes:test": page(course_readers()),
    "quizzes:create": page(course_editors()),
    "quizzes:edit": page(course_editors()),
    "quizzes:regrade": post_only(course_editors()),
    "quizzes:start": post_only(course_readers(teacher=FORBIDDEN, office=FORBIDDEN, rector=FORBIDDEN)),
    # The attempt is the owner's (submitted: sent on to its review); the teacher reviews it, never takes it.
    "quizzes:attempt": page(persons(NOT_FOUND, owner=REDIRECT, teacher=FORBIDDEN, office=FORBIDDEN)),
    "quizzes:save": post_only(owner_and_teacher(teacher=FORBIDDEN, office=FORBIDDEN)),
    "quizzes:event": post_only(owner_and_teacher(teacher=FORBIDDEN, office=FORBIDDEN)),
    "quizzes:submit": post_only(owner_and_teacher(teacher=FORBIDDEN, office=FORBIDDEN)),
    # Only the attempt's student takes it over (here it is submitted: refused with a message, a redirect).
    "quizzes:take_over": post_only(owner_and_teacher(teacher=FORBIDDEN, office=FORBIDDEN)),
    # The drawn questions carry no media: the media addresses answer 404, to everybody.
    "quizzes:media": page(persons(NOT_FOUND)),
    "quizzes:option_media": page(persons(NOT_FOUND)),
    "quizzes:review": page(owner_and_teacher()),
    "quizzes:essay_grade": post_only(persons(NOT_FOUND, teacher=OK, office=OK, owner=FORBIDDEN)),
    "quizzes:essays": page(persons(FORBIDDEN, teacher=OK, other_teacher=OK)),
    # --- Curricula: read by the programme's students (all three groups here are of one programme), teachers,
    # the rector and the office; a draft by the office and the rector; edited by the office alone ---
    "curricula:list": page(persons(FORBIDDEN, **dict.fromkeys(CURRICULUM_READERS, OK))),
    "curricula:curriculum": page(persons(NOT_FOUND, **dict.fromkeys(CURRICULUM_READERS, OK))),
    "curricula:export": page(persons(NOT_FOUND, **dict.fromkeys(CURRICULUM_READERS, OK))),
    "curricula:curriculum[draft]": page(persons(NOT_FOUND, office=OK, rector=OK)),
    "curricula:export[draft]": page(persons(NOT_FOUND, office=OK, rector=OK)),
    "curricula:line_add": page(curriculum_editors()),
    "curricula:line_edit": page(curriculum_editors()),
    "curricula:group_add": page(curriculum_editors()),
    "curricula:group_edit": page(curriculum_editors()),
    "curricula:import": page(curriculum_editors()),
    "curricula:line_remove": post_only(curriculum_editors()),
    "curricula:group_remove": post_only(curriculum_editors()),
    "curricula:approve": post_only(curriculum_editors()),
    # A new version is made from the version in force, which its readers see (and may not copy).
    "curricula:new_version": post_only(
        persons(NOT_FOUND, office=OK, **dict.fromkeys(set(CURRICULUM_READERS) - {"office"}, FORBIDDEN))
    ),
    # --- Final attestation: the owner's programme's commission, the teacher a member of it. The office makes and
    # changes it, the rector reads it, its members read its page and declare their conflicts; nobody else
    # learns it exists ---
    "attestation:commissions": page(office_only(rector=OK)),
    "attestation:mine": page(persons(FORBIDDEN, teacher=OK)),
    "attestation:commission": page(persons(NOT_FOUND, office=OK, rector=OK, teacher=OK)),
    "attestation:member_add": post_only(persons(NOT_FOUND, office=OK, rector=FORBIDDEN, teacher=FORBIDDEN)),
    "attestation:member_issue": page(persons(NOT_FOUND, office=OK, rector=FORBIDDEN, teacher=FORBIDDEN)),
    "attestation:member_remove": post_only(persons(NOT_FOUND, office=OK, rector=FORBIDDEN, teacher=FORBIDDEN)),
    "attestation:conflict": post_only(persons(NOT_FOUND, teacher=OK, office=FORBIDDEN, rector=FORBIDDEN)),
    "attestation:admission": page(persons(NOT_FOUND, office=OK, rector=OK, teacher=FORBIDDEN)),
    "attestation:student": page(persons(NOT_FOUND, office=OK, rector=OK, teacher=FORBIDDEN)),
    # --- Study plans: the owner's plan (submitted) is read by the owner, their group's adviser (the teacher),
    # the office and the rector; the adviser decides it, the office reopens it and runs the windows and the
    # courses from plans; each student has their own plan page ---
    "plans:mine": page(persons(FORBIDDEN, owner=OK, classmate=OK, other_group=OK)),
    "plans:plan": page(persons(NOT_FOUND, owner=OK, teacher=OK, office=OK, rector=OK)),
    "plans:approve": post_only(persons(NOT_FOUND, owner=FORBIDDEN, teacher=OK, office=FORBIDDEN, rector=FORBIDDEN)),
    "plans:return": post_only(persons(NOT_FOUND, owner=FORBIDDEN, teacher=OK, office=FORBIDDEN, rector=FORBIDDEN)),
    "plans:reopen": post_only(persons(NOT_FOUND, owner=FORBIDDEN, teacher=FORBIDDEN, office=OK, rector=FORBIDDEN)),
    "plans:advising": page(persons(FORBIDDEN, teacher=OK, other_teacher=OK)),
    "plans:windows": page(office_only()),
    "plans:window": page(office_only()),
    "plans:window_close": post_only(office_only()),
    "plans:office": page(office_only(rector=OK)),
    "plans:proposal": page(office_only()),
    "plans:apply": post_only(office_only()),
    # --- Admission ---
    "admissions:home": everyone(),
    "admissions:register": public(REDIRECT, anonymous=OK),
    # "Check your e-mail", shown after registering whatever the address: a static page.
    "admissions:register_sent": public(),
    "admissions:apply": post_only(persons(OK)),
    # The applicant's own application; reviewers read it on the commission's pages.
    "admissions:application": page(persons(NOT_FOUND, applicant=OK)),
    "admissions:document_upload": post_only(persons(NOT_FOUND, applicant=OK)),
    "admissions:submit": post_only(persons(NOT_FOUND, applicant=OK)),
    "admissions:document": page(admission_reviewers(applicant=OK)),
    "admissions:document[draft]": page(admission_reviewers(applicant=OK, commission=NOT_FOUND)),
    "admissions:queue": page(admission_reviewers()),
    "admissions:review": page(admission_reviewers()),
    # A draft is the applicant's until submitted: the commission does not see it.
    "admissions:review[draft]": page(admission_reviewers(commission=NOT_FOUND)),
    "admissions:campaign": page(admission_reviewers()),
    "admissions:exam": page(admission_reviewers()),
    # Scores are the commission members' own; the office and the rector read them.
    "admissions:exam_score": post_only(admission_reviewers(office=FORBIDDEN, rector=FORBIDDEN)),
    "admissions:exam_publish": post_only(admission_reviewers(rector=FORBIDDEN)),
    "admissions:exam_join": post_only(persons(NOT_FOUND, office=OK, rector=OK, commission=OK)),
    "admissions:recording_upload": post_only(persons(NOT_FOUND)),
    "admissions:recording": page(admission_reviewers()),
    "admissions:ranking": page(admission_reviewers()),
    "admissions:decision_pdf": page(admission_reviewers()),
    "admissions:report": page(admission_reviewers()),
    "admissions:contract_create": post_only(admission_office()),
    "admissions:enrol": post_only(admission_office()),
    # --- contracts: the office's list and its statement import, the paying students without a contract; a
    # contract, its PDFs and its addenda for its student, the office and the rector (money is nobody else's) ---
    "contracts:list": page(admission_office()),
    "contracts:missing": page(admission_office()),
    "contracts:create": post_only(admission_office()),
    "contracts:contract": page(admission_office(owner=OK, rector=OK)),
    "contracts:contract_pdf": page(admission_office(owner=OK, rector=OK)),
    "contracts:addendum_pdf": page(admission_office(owner=OK, rector=OK)),
    "contracts:my_contract": everyone(owner=REDIRECT),
    # --- allauth: login, sign-up, passwords, e-mail, two-factor ---
    "account_login": public(REDIRECT, anonymous=OK),
    # The sign-up page says sign-up is closed (accounts are issued; applicants register on admission's page).
    "account_signup": public(REDIRECT, anonymous=OK),
    "account_logout": public(OK, anonymous=REDIRECT),
    "account_inactive": public(),
    "account_email_verification_sent": public(),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key": public(),
    "account_reset_password_from_key_done": public(),
    "account_confirm_email": public(),
    "account_confirm_login_code": allauth(REDIRECT),
    "account_change_password": allauth(OK),
    "account_set_password": allauth(REDIRECT),
    "account_email": allauth(OK),
    "account_reauthenticate": allauth(OK),
    "account_request_reauthentication_code": allauth(REDIRECT),
    "account_confirm_reauthentication_code": allauth(REDIRECT),
    "mfa_index": allauth(OK),
    "mfa_authenticate": allauth(REDIRECT),
    "mfa_reauthenticate": allauth(REDIRECT),
    "mfa_activate_totp": allauth(REDIRECT),
    "mfa_deactivate_totp": allauth(NOT_FOUND),
    "mfa_view_recovery_codes": allauth(NOT_FOUND),
    "mfa_generate_recovery_codes": allauth(REDIRECT),
    "mfa_download_recovery_codes": allauth(NOT_FOUND),
    # --- The Django admin (one group; these pages tried) ---
    "admin:index": admin_site(),
    "admin:accounts_user_changelist": admin_site(),
    "admin:core_auditevent_changelist": admin_site(office=FORBIDDEN),
    "admin:academics_course_changelist": admin_site(ict=FORBIDDEN),
    "admin:academics_course_change": admin_site(ict=FORBIDDEN),
    "admin:admissions_campaign_changelist": admin_site(ict=FORBIDDEN),
}

# What a GET may write, by design (each with its reason); any other GET that changes a table fails.
ALLOWED_GET_WRITES = {
    # Every download of a course file is recorded (anti-redistribution, §2.5).
    "materials:material_file": {"materials_materialdownload"},
    # A person's calendar feed gets its secret address the first time the calendar page is shown.
    "live:calendar": {"live_calendarfeed"},
    # A course's chat rooms and forums are made the first time somebody opens them.
    "discussions:inbox": {"discussions_room"},
    "discussions:group_room": {"discussions_room"},
    "discussions:course_announcements": {"discussions_forum"},
    "discussions:university_announcements": {"discussions_forum"},
    # allauth records a user's e-mail address when its e-mail page is first shown.
    "account_email": {"account_emailaddress"},
    # Calendar applications fetch a feed by GET; its last use is stamped (at most hourly) for its owner's page.
    "live:feed": {"live_calendarfeed"},
}


# --- The requests, made once for the module ------------------------------------------------------------------
def base_name(case: str) -> str:
    return case.split("[")[0]


def case_url(uni, routes: dict[str, Route], case: str) -> str:
    route = routes[base_name(case)]
    if case in VARIANTS:
        return reverse(route.name, kwargs=VARIANTS[case](uni))
    return _url(uni, route)


def matrix_cases(routes: dict[str, Route]) -> list[str]:
    return sorted(
        c
        for c in EXPECTED
        if base_name(c) in routes
        and (
            c in VARIANTS
            or base_name(c) in KWARGS
            or not (set(routes[base_name(c)].params) - set(routes[base_name(c)].defaults))
        )
    )


@pytest.fixture(scope="module")
def seen(university, django_db_blocker):
    """What each person got: {("get" or "post", case, person): Seen}. Every GET first, then the refused POSTs."""
    routes = project_routes()
    tables, sql = _counts_sql()
    visitors = Visitors(university)
    cases = matrix_cases(routes)
    found = {}
    with django_db_blocker.unblock():
        for case in cases:
            url = case_url(university, routes, case)
            for person in PERSONS:
                found["get", case, person] = _request(visitors, person, "get", url, tables, sql)
        for case in cases:
            url = case_url(university, routes, case)
            for person in EXPECTED[case].post:
                found["post", case, person] = _request(visitors, person, "post", url, tables, sql)
    return found


def _describe(seen_: Seen) -> str:
    text = "login" if seen_.login else str(seen_.status)
    if 300 <= seen_.status < 400 and not seen_.login:
        text += f" -> {seen_.location}"
    if seen_.changed:
        text += f", wrote {', '.join(seen_.changed)}"
    return text + (f" {seen_.error}" if seen_.error else "")


def _matches(outcome, seen_: Seen) -> bool:
    if isinstance(outcome, int):
        return seen_.status == outcome
    return MATCHES[outcome](seen_.status, seen_.login)


# --- The tests -----------------------------------------------------------------------------------------------
def test_every_url_has_an_expectation():
    routes = project_routes()
    names = tried_names(routes)
    missing = [n for n in names if n not in EXPECTED]
    assert not missing, f"URLs with no expected outcome per person (add them to EXPECTED): {missing}"
    needing = [n for n in names if set(routes[n].params) - set(routes[n].defaults) and n not in KWARGS]
    assert not needing, f"URLs whose ids are not filled from the university (add them to KWARGS): {needing}"


def test_every_expectation_names_a_url():
    routes = project_routes()
    gone = sorted({base_name(c) for c in [*EXPECTED, *KWARGS, *VARIANTS]} - set(routes))
    assert not gone, f"Expectations for URLs that no longer exist: {gone}"
    assert set(VARIANTS) <= set(EXPECTED), set(VARIANTS) - set(EXPECTED)
    for case, expect in EXPECTED.items():
        assert set(expect.get) == set(PERSONS), case


@pytest.mark.parametrize("person", PERSONS)
def test_each_page_answers_each_person_as_expected(seen, person):
    wrong = []
    for case, expect in EXPECTED.items():
        got = seen["get", case, person]
        if not _matches(expect.get[person], got):
            wrong.append(f"GET {case}: expected {expect.get[person]}, got {_describe(got)}")
        if person in expect.post:
            got = seen["post", case, person]
            if not _matches(expect.post[person], got) or got.changed:
                wrong.append(f"POST {case}: expected {expect.post[person]} writing nothing, got {_describe(got)}")
    assert not wrong, f"{person}:\n" + "\n".join(wrong)


def test_no_get_changes_the_database(seen):
    wrote = [
        f"{case} as {person}: {', '.join(got.changed)}"
        for (method, case, person), got in seen.items()
        if method == "get" and set(got.changed) - ALLOWED_GET_WRITES.get(base_name(case), set())
    ]
    assert not wrote, "GET requests that changed the database:\n" + "\n".join(wrote)
