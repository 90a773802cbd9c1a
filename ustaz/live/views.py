from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ustaz.academics import access as academics_access
from ustaz.core import calendar as core_calendar

from . import access, ical, providers, selectors, services, tasks
from .forms import AttendanceForm, ClassForm, RecordingForm
from .models import AttendanceStatus, CalendarFeed, LiveClass, Provider

log = logging.getLogger(__name__)


def _class_url(live_class: LiveClass) -> str:
    return reverse("live:class", args=[live_class.course_id, live_class.pk])


@login_required
def course(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_for(request.user, pk)
    now = timezone.now()
    if course.is_enrolled:
        classes = selectors.course_classes(course, group_id=access.student_group_id(request.user), student=request.user)
    else:
        classes = selectors.course_classes(course)
    for live_class in classes:
        live_class.join_state = access.join_state(live_class, now)
    return render(
        request,
        "live/course.html",
        {
            "course": course,
            "upcoming": [c for c in classes if c.ends_at >= now],
            "past": [c for c in classes if c.ends_at < now][::-1],
            "can_schedule": access.can_schedule(request.user, course),
            "is_student": course.is_enrolled,
        },
    )


def _form_submit(request: HttpRequest, form: ClassForm, course, live_class: LiveClass | None):
    data = dict(form.cleaned_data)
    try:
        if live_class is None:
            created = services.class_schedule(
                course=course,
                by=request.user,
                title=data["title"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                provider=data.get("provider") or "",
                link=data.get("link") or "",
                room=data.get("room") or "",
                description=data.get("description") or "",
                groups=data.get("groups") or [],
                repeat_until=data.get("repeat_until"),
                skipped_dates=data.get("skipped_dates") or [],
                time_zone=timezone.get_current_timezone_name(),
            )
            return created
        data.pop("repeat_until", None), data.pop("skipped_dates", None)
        if any(g.pk not in {cg.pk for cg in course.groups.all()} for g in data.get("groups") or []):
            raise ValidationError({"groups": _("Choose among the course's groups.")})
        return [services.class_update(live_class=live_class, by=request.user, **data)]
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@login_required
def class_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.get_course_to_schedule_for(request.user, pk)
    form = ClassForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        created = _form_submit(request, form, course, None)
        if created:
            if len(created) > 1:
                messages.success(
                    request,
                    ngettext("%(count)d weekly class scheduled.", "%(count)d weekly classes scheduled.", len(created))
                    % {"count": len(created)},
                )
            else:
                messages.success(request, _("Class scheduled."))
            return redirect("live:course", pk=course.pk)
    return render(request, "live/class_form.html", {"course": course, "form": form})


@login_required
def class_edit(request: HttpRequest, pk: int, class_pk: int) -> HttpResponse:
    live_class = access.get_class_to_manage_for(request.user, pk, class_pk)
    form = ClassForm(request.POST or None, instance=live_class, course=live_class.course)
    if request.method == "POST" and form.is_valid():
        # The form wrote onto the instance; the service saves it and tells students what changed.
        original = LiveClass.objects.get(pk=live_class.pk)
        original.course = live_class.course
        if _form_submit(request, form, live_class.course, original):
            messages.success(request, _("Class saved."))
            return redirect(_class_url(live_class))
    return render(
        request, "live/class_form.html", {"course": live_class.course, "form": form, "live_class": live_class}
    )


@login_required
@require_POST
def class_cancel(request: HttpRequest, pk: int, class_pk: int) -> HttpResponse:
    live_class = access.get_class_to_manage_for(request.user, pk, class_pk)
    services.class_cancel(live_class=live_class, by=request.user)
    messages.success(request, _("The class is cancelled; its students are told."))
    return redirect(_class_url(live_class))


@login_required
def class_detail(request: HttpRequest, pk: int, class_pk: int) -> HttpResponse:
    live_class = access.get_class_for(request.user, pk, class_pk)
    can_manage = access.can_schedule(request.user, live_class.course)
    context = {
        "course": live_class.course,
        "live_class": live_class,
        "join_state": access.join_state(live_class, timezone.now()),
        "join_opens_at": access.join_opens_at(live_class),
        "recordings": list(live_class.recordings.all()),
        "can_manage": can_manage,
        "recording_form": RecordingForm() if can_manage else None,
    }
    if live_class.course.is_enrolled:
        context["mine"] = live_class.attendances.filter(student=request.user).first()
    return render(request, "live/class.html", context)


@login_required
@require_POST
def class_end(request: HttpRequest, pk: int, class_pk: int) -> HttpResponse:
    live_class = access.get_class_to_manage_for(request.user, pk, class_pk)
    try:
        services.meeting_end(live_class=live_class, by=request.user)
    except providers.ConferenceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The class is ended for everyone."))
    return redirect(_class_url(live_class))


@login_required
@require_POST
def class_join(request: HttpRequest, pk: int, class_pk: int) -> HttpResponse:
    live_class = access.get_class_for(request.user, pk, class_pk)
    state = access.join_state(live_class, timezone.now())
    if state != "open":
        messages.error(request, _("This class cannot be joined now."))
        return redirect(_class_url(live_class))
    try:
        url = services.join(
            live_class=live_class, user=request.user, moderator=access.joins_as_moderator(request.user, live_class)
        )
    except providers.ConferenceError as error:
        log.warning("joining class %s failed: %s", live_class.pk, error)
        messages.error(request, str(error))
        return redirect(_class_url(live_class))
    return redirect(url)


@login_required
def class_attendance(request: HttpRequest, pk: int, class_pk: int) -> HttpResponse:
    live_class = access.get_class_to_manage_for(request.user, pk, class_pk)
    roster = selectors.class_roster(live_class)
    form = AttendanceForm(request.POST or None, student_ids=[r.student.pk for r in roster])
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.attendance_correct(live_class=live_class, by=request.user, marks=form.marks())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved (%(count)d mark changed).", "Attendance saved (%(count)d marks changed).", changed
                )
                % {"count": changed},
            )
            return redirect("live:attendance", pk=pk, class_pk=class_pk)
    return render(
        request,
        "live/attendance.html",
        {
            "course": live_class.course,
            "live_class": live_class,
            "roster": roster,
            "statuses": AttendanceStatus.choices,
        },
    )


@login_required
def course_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_for(request.user, pk)
    if not (course.is_teacher or academics_access.can_oversee_courses(request.user)):
        raise Http404
    classes, rows = selectors.course_attendance(course)
    return render(request, "live/course_attendance.html", {"course": course, "classes": classes, "rows": rows})


@login_required
@require_POST
def recording_add(request: HttpRequest, pk: int, class_pk: int) -> HttpResponse:
    live_class = access.get_class_to_manage_for(request.user, pk, class_pk)
    form = RecordingForm(request.POST)
    if form.is_valid():
        services.recording_add(live_class=live_class, by=request.user, **form.cleaned_data)
        messages.success(request, _("Recording attached; the class's students are told."))
    else:
        messages.error(request, _("Give the full address of the recording (https://...)."))
    return redirect(_class_url(live_class))


@login_required
@require_POST
def recordings_refresh(request: HttpRequest, pk: int, class_pk: int) -> HttpResponse:
    live_class = access.get_class_to_manage_for(request.user, pk, class_pk)
    if live_class.provider != Provider.BIGBLUEBUTTON:
        raise Http404
    try:
        new = services.recordings_fetch(live_class)
    except providers.ConferenceError as error:
        messages.error(request, str(error))
    else:
        messages.info(
            request,
            ngettext("%(count)d new recording found.", "%(count)d new recordings found.", len(new))
            % {"count": len(new)},
        )
    return redirect(_class_url(live_class))


# --- BigBlueButton's calls back to us ----------------------------------------------------------------------


@csrf_exempt
@require_GET
def bbb_ended(request: HttpRequest, class_pk: int) -> HttpResponse:
    """meta_endCallbackUrl: BigBlueButton calls it when the meeting ends (token signed by us)."""
    try:
        live_class = LiveClass.objects.get(pk=class_pk)
    except LiveClass.DoesNotExist:
        raise Http404 from None
    if not services.callback_token_valid(live_class, request.GET.get("token", "")):
        raise Http404
    services.meeting_ended(live_class)
    tasks.recordings_fetch.enqueue(live_class.pk)
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def bbb_recording_ready(request: HttpRequest) -> HttpResponse:
    """meta_bbb-recording-ready-url: a JWT (HS256, the server's shared secret) naming the meeting."""
    if not settings.BBB_SECRET:
        raise Http404
    try:
        payload = providers.jwt_decode(request.POST.get("signed_parameters", ""), settings.BBB_SECRET)
    except ValueError as error:
        log.warning("BigBlueButton recording-ready callback refused: %s", error)
        return HttpResponseBadRequest("invalid signed_parameters", content_type="text/plain")
    live_class = LiveClass.objects.filter(meeting_id=str(payload.get("meeting_id", ""))).first()
    if live_class is None:
        raise Http404
    tasks.recordings_fetch.enqueue(live_class.pk)
    return HttpResponse("ok", content_type="text/plain")


# --- Calendar ----------------------------------------------------------------------------------------------

FEED_PAST_DAYS = 60
FEED_FUTURE_DAYS = 200


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.feed_revoke(request.user)
        messages.success(request, _("A new calendar address is made; the old one no longer works."))
        return redirect("live:calendar")
    token = services.feed_token(request.user)
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    events = core_calendar.events_for(request.user, start, start + datetime.timedelta(days=14))
    return render(
        request,
        "live/calendar.html",
        {
            "feed_url": settings.SITE_URL.rstrip("/") + reverse("live:feed", args=[token]),
            "events": events,
            "now": now,
        },
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's iCalendar feed: no login (calendar programs cannot), the secret address is the key."""
    try:
        entry = CalendarFeed.objects.select_related("user").get(token=token)
    except CalendarFeed.DoesNotExist:
        raise Http404 from None
    user = entry.user
    if not user.is_active:
        raise Http404
    now = timezone.now()
    span = (now - datetime.timedelta(days=FEED_PAST_DAYS), now + datetime.timedelta(days=FEED_FUTURE_DAYS))
    try:
        zone = ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (KeyError, ValueError):
        zone = ZoneInfo(settings.TIME_ZONE)
    with translation.override(user.language or None):
        body = ical.calendar(
            core_calendar.events_for(user, *span),
            zone=zone,
            name=_("Ustaz: %(name)s") % {"name": user.short_name},
            base_url=settings.SITE_URL,
            now=now,
            span=span,
        )
    if entry.last_fetched_at is None or now - entry.last_fetched_at > datetime.timedelta(hours=1):
        # When a calendar last read the feed, to the hour: not a write on every poll.
        CalendarFeed.objects.filter(pk=entry.pk).update(last_fetched_at=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ustaz.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
