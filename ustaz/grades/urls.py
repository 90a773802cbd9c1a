from django.urls import path, register_converter

from . import appeal_views, diploma_views, views


class StatementFormat:
    regex = "pdf|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StatementFormat, "statement_format")


class ProtocolLanguage(StatementFormat):
    """The languages of an appeal's protocol."""

    regex = "kk|ru"


register_converter(ProtocolLanguage, "appeal_lang")


app_name = "grades"
urlpatterns = [
    path("courses/<int:pk>/grades/", views.course_grades, name="course"),
    path("courses/<int:pk>/grades/cell/", views.journal_cell, name="cell"),
    path("courses/<int:pk>/grades/journal.xlsx", views.journal_export, name="export"),
    path("courses/<int:pk>/grades/import/", views.grades_import, name="import"),
    path("courses/<int:pk>/grades/history/", views.history, name="history"),
    path("courses/<int:pk>/grades/appeal/", views.appeal_file, name="appeal_file"),
    path("appeals/", appeal_views.appeals, name="appeals"),
    path("transcript.pdf", views.transcript, name="my_transcript"),
    path("people/<int:student_pk>/transcript.pdf", views.transcript, name="transcript"),
    path("appeals/<int:appeal_pk>/", appeal_views.appeal_decide, name="appeal_decide"),
    path(
        "appeals/<int:appeal_pk>/protocol-<appeal_lang:lang>.pdf", appeal_views.appeal_protocol, name="appeal_protocol"
    ),
    path("appeals/commissions/", appeal_views.commissions, name="appeal_commissions"),
    path("appeals/commissions/new/", appeal_views.commission_edit, name="appeal_commission_add"),
    path("appeals/commissions/<int:commission_pk>/", appeal_views.commission_edit, name="appeal_commission_edit"),
    path("courses/<int:pk>/grades/statement/<int:group_pk>.<statement_format:fmt>", views.statement, name="statement"),
    path("courses/<int:pk>/grades/columns/", views.item_add, name="item_add"),
    path("courses/<int:pk>/grades/retake/", views.retake_open, name="retake_open"),
    path("courses/<int:pk>/grades/restudy/", views.restudy_enrol, name="restudy"),
    path("courses/<int:pk>/grades/columns/<int:item_pk>/lock/", views.item_lock, name="item_lock"),
    # The diploma's result (docs/decisions/0020-diploma-result.md).
    path("people/<int:student_pk>/final-transcript/", diploma_views.final_transcript, name="final_transcript"),
    path(
        "people/<int:student_pk>/final-transcript.pdf", diploma_views.final_transcript_pdf, name="final_transcript_pdf"
    ),
    path("groups/<int:group_pk>/honours/", diploma_views.graduates, name="graduates"),
]
