from django.contrib import admin

from ustaz.core.admin import RoleInlineMixin, RoleModelAdmin

from .models import Campaign, CreativeExam, Criterion, Offer


class OfferInline(RoleInlineMixin, admin.TabularInline):
    model = Offer
    extra = 0
    autocomplete_fields = ["programme"]
    fields = ["programme", "places", "fee_per_year", "printed_materials_fee", "years", "score_rule", "creative_exams"]


@admin.register(Campaign)
class CampaignAdmin(RoleModelAdmin):
    """The academic office opens an admission campaign: its dates, commission, programmes, places, fees."""

    list_display = ["title", "opens_on", "closes_on"]
    autocomplete_fields = ["commission"]
    inlines = [OfferInline]


class CriterionInline(RoleInlineMixin, admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "name", "max_points"]


@admin.register(CreativeExam)
class CreativeExamAdmin(RoleModelAdmin):
    """A programme's creative exam (§3.3): when, how (online, in person, a recording), its criteria."""

    list_display = ["title", "offer", "format", "starts_at", "published_at"]
    list_filter = ["offer__campaign", "format"]
    list_select_related = ["offer__campaign", "offer__programme"]
    fields = [
        "offer",
        "position",
        "title",
        "format",
        "provider",
        "link",
        "place",
        "starts_at",
        "duration_minutes",
        "pass_score",
    ]
    inlines = [CriterionInline]
