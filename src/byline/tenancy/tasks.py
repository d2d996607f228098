"""Mail about sites and their people, sent outside the request that caused it."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from .models import Invitation
from .urls import platform_path


@task()
def send_invitation(*, invitation_id: int, base_url: str) -> None:
    """E-mail an invitation's accept link, unless it was accepted or withdrawn before the
    task ran (a queue may run it late)."""
    invitation = (Invitation.objects.select_related("site", "invited_by")
                  .filter(pk=invitation_id, accepted_at__isnull=True).first())
    if invitation is None:
        return
    context = {
        "invitation": invitation,
        "site": invitation.site,
        "inviter": invitation.invited_by,
        "accept_url": base_url.rstrip("/") + platform_path("start:invitation",
                                                           invitation.token),
    }
    # A title may hold anything; a header must stay on one line.
    subject = " ".join(render_to_string("tenancy/email/invitation_subject.txt",
                                        context).split())
    body = render_to_string("tenancy/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
