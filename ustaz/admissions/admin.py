from django.contrib import admin

from ustaz.core.admin import RoleInlineMixin, RoleModelAdmin

from .models import Campaign, Offer


class OfferInline(RoleInlineMixin, admin.TabularInline):
    model = Offer
    extra = 0
    autocomplete_fields = ["programme"]
    fields = ["programme", "places", "fee_per_year", "creative_exams"]


@admin.register(Campaign)
class CampaignAdmin(RoleModelAdmin):
    """The academic office opens an admission campaign: its dates, programmes, places, fees and exams."""

    list_display = ["title", "opens_on", "closes_on"]
    inlines = [OfferInline]
