"""The University's grading choices checked when the platform starts (every manage.py command, `make run`'s
migrate included): a misspelt rule or weights that do not add up stop it with what is wrong, instead of
grading by a rule nobody chose."""

from django.core.checks import Error, register


@register()
def grading_policy_is_valid(app_configs, **kwargs):
    from .rules import GradingPolicy, RuleInputError

    try:
        GradingPolicy.from_settings()
    except (RuleInputError, TypeError) as error:
        return [
            Error(
                f"The grading policy is not valid: {error}",
                hint="Correct GRADING_POLICY or the USTAZ_GRADING_* environment variables (docs/configuration.md).",
                id="ustaz.E001",
            )
        ]
    return []


@register()
def honours_policy_is_valid(app_configs, **kwargs):
    from .rules import HonoursPolicy, RuleInputError

    try:
        HonoursPolicy.from_settings()
    except (RuleInputError, TypeError) as error:
        return [
            Error(
                f"The honours rule is not valid: {error}",
                hint="Correct the USTAZ_HONOURS_* settings (docs/configuration.md).",
                id="ustaz.E020",
            )
        ]
    return []
