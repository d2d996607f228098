"""The claims the local provider hands out: what a real provider's userinfo gives."""

import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator


def user_claims(username: str) -> dict:
    """The configured user's claims (OIDC_USERS), by user name."""
    for user in json.loads(os.environ["OIDC_USERS"]):
        if user["username"] == username:
            return user
    return {}


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email_verified": "email"}

    def get_additional_claims(self, request) -> dict:
        user = user_claims(request.user.username)
        return {
            "name": user.get("name", ""),
            "preferred_username": request.user.username,
            "email": user.get("email", ""),
            "email_verified": bool(user.get("email_verified", False)),
        }
