"""Start the local OpenID Connect provider: `python -m tests.oidc_provider.serve PORT`.

Reads OIDC_DB, OIDC_USERS (JSON list of username/password/email/email_verified/name),
OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URIS (space-separated) from the
environment; generates the RSA signing key here unless OIDC_RSA_PRIVATE_KEY is set.
"""

import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def generate_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def main(port: str) -> None:
    os.environ.setdefault("OIDC_RSA_PRIVATE_KEY", generate_key())
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django
    from django.core.management import call_command

    django.setup()
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for data in json.loads(os.environ["OIDC_USERS"]):
        user, _ = User.objects.get_or_create(username=data["username"])
        user.set_password(data["password"])
        user.save()
    Application.objects.update_or_create(
        client_id=os.environ["OIDC_CLIENT_ID"],
        defaults={
            "name": "Byline",
            "client_secret": os.environ["OIDC_CLIENT_SECRET"],
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": os.environ["OIDC_REDIRECT_URIS"],
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main(sys.argv[1])
