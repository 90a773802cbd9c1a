from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts are issued by the academic office or the ICT centre (§2.3); applicants' self-service
        # registration is opened by the admissions area.
        return False

    def get_password_change_redirect_url(self, request):
        from django.urls import reverse

        return reverse("home")
