"""Scheduling, joining, attendance and recordings of classes, through the pages, per role."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from testkit.bbb import FakeBigBlueButton
from testkit.factories import StudyGroupFactory, UserFactory, enrol
from ustaz.accounts.models import Role
from ustaz.live import providers, services
from ustaz.live.models import Attendance, AttendanceStatus, ClassStatus, Format, LiveClass, Provider, Recording
from ustaz.notifications.models import Notification


def a_class(course, teacher, *, minutes_from_now=5, provider=Provider.LINK, groups=(), **extra) -> LiveClass:
    return services.class_schedule(
        course=course,
        by=teacher,
        title=extra.pop("title", "Сольфеджио"),
        starts_at=timezone.now() + datetime.timedelta(minutes=minutes_from_now),
        duration_minutes=80,
        format=extra.pop("format", Format.ONLINE),
        provider=provider,
        link=extra.pop("link", "https://zoom.example.com/j/123"),
        groups=groups,
        **extra,
    )[0]


@pytest.fixture
def bbb(settings):
    with FakeBigBlueButton(secret="bbb-test-secret", algorithm="sha1") as fake:
        settings.BBB_URL, settings.BBB_SECRET, settings.BBB_CHECKSUM = fake.url, fake.secret, "sha1"
        yield fake


def test_teacher_schedules_a_class_in_their_own_time_zone(as_user, course, teacher, student):
    teacher.time_zone = "Europe/Berlin"
    teacher.save()
    response = as_user(teacher).post(
        reverse("live:class_create", args=[course.pk]),
        {
            "title": "Гармония",
            "starts_at": "2099-03-02T10:00",
            "duration_minutes": 80,
            "format": Format.ONLINE,
            "provider": Provider.LINK,
            "link": "https://meet.example.com/abc",
        },
    )
    assert response.status_code == 302
    live_class = LiveClass.objects.get(course=course)
    # 10:00 in Berlin (winter, UTC+1) is 09:00 UTC and 14:00 in Almaty.
    assert live_class.starts_at == datetime.datetime(2099, 3, 2, 9, 0, tzinfo=datetime.UTC)
    page = as_user(student).get(reverse("live:course", args=[course.pk]))
    assert "14:00" in page.content.decode()  # the student is in Asia/Almaty (UTC+5)


def test_weekly_classes_keep_their_local_time_across_summer_time_and_skip_holidays(course, teacher):
    berlin = ZoneInfo("Europe/Berlin")
    classes = services.class_schedule(
        course=course,
        by=teacher,
        title="Композиция",
        starts_at=datetime.datetime(2099, 3, 16, 10, 0, tzinfo=berlin),
        duration_minutes=50,
        format=Format.IN_PERSON,
        room="204",
        repeat_until=datetime.date(2099, 4, 13),
        skipped_dates=[datetime.date(2099, 3, 23)],
        time_zone="Europe/Berlin",
    )
    local = [timezone.localtime(c.starts_at, berlin) for c in classes]
    assert [d.date().isoformat() for d in local] == ["2099-03-16", "2099-03-30", "2099-04-06", "2099-04-13"]
    assert {(d.hour, d.minute) for d in local} == {(10, 0)}
    # Summer time began on 29 March 2099: the same 10:00 is an hour earlier in UTC.
    assert classes[0].starts_at.astimezone(datetime.UTC).hour == 9
    assert classes[1].starts_at.astimezone(datetime.UTC).hour == 8
    assert len({c.series_id for c in classes}) == 1 and classes[0].series.skipped_dates == ["2099-03-23"]


def test_bad_schedules_are_refused_with_a_reason(as_user, course, teacher):
    url = reverse("live:class_create", args=[course.pk])
    base = {"title": "x", "starts_at": "2099-03-02T10:00", "duration_minutes": 80}
    no_link = as_user(teacher).post(url, {**base, "format": Format.ONLINE, "provider": Provider.LINK})
    assert "Give the conference link" in no_link.content.decode()
    no_room = as_user(teacher).post(url, {**base, "format": Format.IN_PERSON})
    assert "Give the room" in no_room.content.decode()
    backwards = as_user(teacher).post(
        url, {**base, "format": Format.IN_PERSON, "room": "1", "repeat_until": "2099-02-01"}
    )
    assert "The last date is before the first." in backwards.content.decode()
    bad_date = as_user(teacher).post(
        url, {**base, "format": Format.IN_PERSON, "room": "1", "repeat_until": "2099-04-01", "skipped_dates": "soon"}
    )
    assert "is not a date" in bad_date.content.decode()
    assert not LiveClass.objects.exists()


def test_only_the_course_teacher_and_office_schedule(as_user, course, teacher, student, other_student, office):
    url = reverse("live:class_create", args=[course.pk])
    assert as_user(teacher).get(url).status_code == 200
    assert as_user(office).get(url).status_code == 200
    assert as_user(student).get(url).status_code == 403
    assert as_user(other_student).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302


def test_who_sees_a_class(as_user, course, teacher, student, other_student, office, ict):
    live_class = a_class(course, teacher)
    url = reverse("live:class", args=[course.pk, live_class.pk])
    for user, status in [(teacher, 200), (student, 200), (office, 200), (other_student, 404), (ict, 404)]:
        assert as_user(user).get(url).status_code == status, user
    # Through another course's address: not found.
    other_course = other_student.enrolments.get().course
    assert as_user(teacher).get(reverse("live:class", args=[other_course.pk, live_class.pk])).status_code == 404
    for name in ("class_edit", "attendance"):
        assert as_user(student).get(reverse(f"live:{name}", args=[course.pk, live_class.pk])).status_code == 403
    assert as_user(student).post(reverse("live:class_cancel", args=[course.pk, live_class.pk])).status_code == 403
    assert as_user(other_student).post(reverse("live:join", args=[course.pk, live_class.pk])).status_code == 404


def test_a_class_of_another_group_is_not_the_students(as_user, course, teacher, student):
    own_group = student.student_record.group
    other_group = StudyGroupFactory()
    course.groups.add(own_group, other_group)
    theirs = a_class(course, teacher, groups=[other_group], title="Басқа топ")
    ours = a_class(course, teacher, groups=[own_group], title="Біздің топ")
    assert as_user(student).get(reverse("live:class", args=[course.pk, theirs.pk])).status_code == 404
    listing = as_user(student).get(reverse("live:course", args=[course.pk])).content.decode()
    assert "Біздің топ" in listing and "Басқа топ" not in listing
    assert as_user(student).post(reverse("live:join", args=[course.pk, theirs.pk])).status_code == 404
    assert as_user(student).get(reverse("live:class", args=[course.pk, ours.pk])).status_code == 200


def test_joining_a_linked_conference_marks_the_student_present(as_user, course, teacher, student):
    live_class = a_class(course, teacher, minutes_from_now=5)
    response = as_user(student).post(reverse("live:join", args=[course.pk, live_class.pk]))
    assert response.status_code == 302 and response["Location"] == "https://zoom.example.com/j/123"
    attendance = Attendance.objects.get(live_class=live_class, student=student)
    assert attendance.status == AttendanceStatus.PRESENT and attendance.joined_at is not None
    # A second join changes nothing; the teacher joining is not attendance.
    as_user(student).post(reverse("live:join", args=[course.pk, live_class.pk]))
    as_user(teacher).post(reverse("live:join", args=[course.pk, live_class.pk]))
    assert Attendance.objects.filter(live_class=live_class).count() == 1


def test_joining_late_is_marked_late(course, teacher, student, settings):
    live_class = a_class(course, teacher, minutes_from_now=-30)
    live_class.course.is_enrolled = True
    services.join(live_class=live_class, user=student, moderator=False)
    assert Attendance.objects.get(student=student).status == AttendanceStatus.LATE


def test_the_join_button_opens_shortly_before_the_start(as_user, course, teacher, student):
    later = a_class(course, teacher, minutes_from_now=60)
    page = as_user(student).get(reverse("live:class", args=[course.pk, later.pk])).content.decode()
    assert "You can join from" in page
    refused = as_user(student).post(reverse("live:join", args=[course.pk, later.pk]), follow=True)
    assert "This class cannot be joined now." in refused.content.decode()
    assert not Attendance.objects.exists()
    over = a_class(course, teacher, minutes_from_now=-200)
    assert (
        "The class is over." in as_user(student).get(reverse("live:class", args=[course.pk, over.pk])).content.decode()
    )


def test_bigbluebutton_teacher_starts_student_joins_as_viewer(as_user, course, teacher, student, bbb):
    live_class = a_class(course, teacher, provider=Provider.BIGBLUEBUTTON, link="")
    join = reverse("live:join", args=[course.pk, live_class.pk])
    # Before the teacher starts it, a student is told to wait; nothing is marked.
    early = as_user(student).post(join, follow=True)
    assert "The teacher has not started the class yet." in early.content.decode()
    assert not Attendance.objects.exists()
    teacher_join = as_user(teacher).post(join)
    assert teacher_join.status_code == 302
    query = parse_qs(urlsplit(teacher_join["Location"]).query)
    assert teacher_join["Location"].startswith(bbb.url + "api/join?") and query["role"] == ["MODERATOR"]
    created = bbb.meetings[live_class.meeting_id].params
    assert created["record"] == "true"
    assert created["meta_endCallbackUrl"].endswith(
        f"/live/bbb/{live_class.pk}/ended/?token=" + services._callback_token(live_class)
    )
    student_join = as_user(student).post(join)
    assert parse_qs(urlsplit(student_join["Location"]).query)["role"] == ["VIEWER"]
    assert Attendance.objects.get(student=student).status == AttendanceStatus.PRESENT


def test_a_failing_conference_server_leaves_the_class_page_working(as_user, course, teacher, student, bbb):
    live_class = a_class(course, teacher, provider=Provider.BIGBLUEBUTTON, link="")
    bbb.fail_with = 500
    response = as_user(teacher).post(reverse("live:join", args=[course.pk, live_class.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The videoconference server answered with an error." in page
    assert "Join the class" in page and live_class.title in page


def test_the_meeting_end_callback_needs_our_token_and_fetches_recordings(client, course, teacher, student, bbb):
    live_class = a_class(course, teacher, provider=Provider.BIGBLUEBUTTON, link="")
    bbb.recordings[live_class.meeting_id] = [{"id": "r1", "url": "https://bbb.example.edu/playback/r1"}]
    url = reverse("live:bbb_ended", args=[live_class.pk])
    assert client.get(url, {"token": "forged"}).status_code == 404
    assert client.get(url, {"token": services._callback_token(live_class)}).status_code == 200
    live_class.refresh_from_db()
    assert live_class.status == ClassStatus.ENDED
    assert list(Recording.objects.values_list("record_id", flat=True)) == ["r1"]
    assert Notification.objects.filter(user=student, kind="live.recording_ready").exists()
    # The recording-ready call (signed by the server's secret) finds nothing new: no second copy.
    token = providers.jwt_encode({"meeting_id": live_class.meeting_id, "record_id": "r1"}, bbb.secret)
    assert client.post(reverse("live:bbb_recording_ready"), {"signed_parameters": token}).status_code == 200
    assert Recording.objects.count() == 1
    forged = providers.jwt_encode({"meeting_id": live_class.meeting_id}, "not-the-secret")
    assert client.post(reverse("live:bbb_recording_ready"), {"signed_parameters": forged}).status_code == 400


def test_teacher_corrects_attendance_and_the_office_sees_it(
    as_user, course, teacher, student, office, django_assert_max_num_queries
):
    second = UserFactory(roles=f",{Role.STUDENT},", first_name="Second")
    enrol(second, course)
    live_class = a_class(course, teacher, minutes_from_now=-100)
    services.attendance_from_join(live_class=live_class, student=student, now=live_class.starts_at)
    url = reverse("live:attendance", args=[course.pk, live_class.pk])
    roster = as_user(teacher).get(url).content.decode()
    assert student.full_name in roster and second.full_name in roster
    response = as_user(teacher).post(
        url,
        {f"status_{student.pk}": "present", f"status_{second.pk}": "excused", f"note_{second.pk}": "ауырып қалды"},
    )
    assert response.status_code == 302
    mark = Attendance.objects.get(student=second)
    assert (mark.status, mark.note, mark.marked_by) == ("excused", "ауырып қалды", teacher)
    # The join time of the first student stays.
    assert Attendance.objects.get(student=student).joined_at == live_class.starts_at
    report_url = reverse("live:course_attendance", args=[course.pk])
    assert as_user(student).get(report_url).status_code == 404
    report = as_user(office).get(report_url).content.decode()
    assert "✓" in report and "100" in report
    # The report's queries do not grow with students or classes.
    for n in range(5):
        extra = UserFactory(roles=f",{Role.STUDENT},")
        enrol(extra, course)
        a_class(course, teacher, minutes_from_now=-300 - n * 100)
    office_client = as_user(office)
    with django_assert_max_num_queries(8):
        assert office_client.get(report_url).status_code == 200


def test_a_teacher_cannot_mark_someone_outside_the_class(as_user, course, teacher, other_student):
    live_class = a_class(course, teacher, minutes_from_now=-100)
    with pytest.raises(Exception, match="not students of this class"):
        services.attendance_correct(live_class=live_class, by=teacher, marks={other_student.pk: ("present", "")})


def test_cancelling_tells_the_students_in_their_time_zone(as_user, course, teacher, student):
    student.time_zone = "Europe/Berlin"
    student.save()
    live_class = a_class(course, teacher, minutes_from_now=60 * 24)
    response = as_user(teacher).post(reverse("live:class_cancel", args=[course.pk, live_class.pk]))
    assert response.status_code == 302
    live_class.refresh_from_db()
    assert live_class.status == ClassStatus.CANCELLED
    notice = Notification.objects.get(user=student, kind="live.class_changed")
    local = timezone.localtime(live_class.starts_at, ZoneInfo("Europe/Berlin"))
    assert local.strftime("%H:%M") in notice.title and "cancelled" in notice.title.lower()


def test_teacher_attaches_a_recording(as_user, course, teacher, student):
    live_class = a_class(course, teacher, minutes_from_now=-100)
    url = reverse("live:recording_add", args=[course.pk, live_class.pk])
    assert as_user(student).post(url, {"url": "https://youtu.be/x"}).status_code == 403
    as_user(teacher).post(url, {"url": "https://youtu.be/abc", "title": "Жазба"})
    page = as_user(student).get(reverse("live:class", args=[course.pk, live_class.pk])).content.decode()
    assert "https://youtu.be/abc" in page and "Жазба" in page


def test_the_course_classes_page_queries_do_not_grow(as_user, course, teacher, student, django_assert_max_num_queries):
    for n in range(3):
        a_class(course, teacher, minutes_from_now=-500 - n * 100)
    url = reverse("live:course", args=[course.pk])
    student_client, teacher_client = as_user(student), as_user(teacher)
    with django_assert_max_num_queries(10) as few:
        student_client.get(url)
    for n in range(12):
        a_class(course, teacher, minutes_from_now=100 + n * 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert student_client.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        assert teacher_client.get(url).status_code == 200


def test_the_teacher_ends_a_bigbluebutton_class_for_everyone(as_user, course, teacher, student, bbb):
    live_class = a_class(course, teacher, provider=Provider.BIGBLUEBUTTON, link="")
    as_user(teacher).post(reverse("live:join", args=[course.pk, live_class.pk]))
    assert bbb.meetings[live_class.meeting_id].running
    end = reverse("live:class_end", args=[course.pk, live_class.pk])
    assert as_user(student).post(end).status_code == 403
    assert as_user(teacher).post(end).status_code == 302
    assert not bbb.meetings[live_class.meeting_id].running
    live_class.refresh_from_db()
    assert live_class.status == ClassStatus.ENDED
    page = as_user(student).get(reverse("live:class", args=[course.pk, live_class.pk])).content.decode()
    assert "The class is over." in page
