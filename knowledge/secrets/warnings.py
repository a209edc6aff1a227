"""`warnings_for`: one warning per kind of secret found, with what to do about it; never the value."""

from __future__ import annotations

from knowledge.secrets.model import Secret

# What to call each kind in a warning (with its article); kinds not listed use their label.
_NOUNS: dict[str, str] = {
    "stripe_secret_key": "Stripe secret key",
    "stripe_restricted_key": "Stripe restricted key",
    "bearer_token": "bearer token",
    "basic_credentials": "Basic auth credential",
    "generic_api_key": "API key or token",
    "generic_secret": "secret",
    "client_secret": "OAuth client secret",
    "private_key": "private key",
}

_ADVICE: dict[str, str] = {
    "password": "change it now and delete the message.",
    "cookie": "sign out to end that session and delete the message.",
    "jwt": "anyone can use it until it expires; revoke the session if you can and delete the message.",
    "twilio_account_sid": "rotate the auth token that goes with it and delete the message.",
    "aws_access_key_id": "deactivate the key in IAM now and delete the message.",
    "private_key": "replace the key pair now and delete the message.",
    "slack_webhook": "regenerate the webhook URL now and delete the message.",
    "discord_webhook": "delete or regenerate the webhook now and delete the message.",
    "teams_webhook": "remove the webhook from the channel and add a new one, and delete the message.",
}


def _article(noun: str) -> str:
    vowel_sound = noun[:1] in "aeiouAEIOU" or noun.startswith(("npm", "RSA", "SSH", "HMAC"))
    return "an" if vowel_sound else "a"


def warnings_for(secrets: list[Secret]) -> list[str]:
    """One warning per kind of secret, naming it by its masked form; never the secret itself."""
    groups: dict[str, list[Secret]] = {}
    for secret in secrets:
        groups.setdefault(secret.kind, []).append(secret)
    warnings: list[str] = []
    for kind, group in groups.items():
        live = [s for s in group if s.live]
        sample = (live or group)[0]
        noun = _NOUNS.get(kind, sample.label if len(group) == 1 else _label_base(group))
        if kind in ("password", "cookie"):
            noun = "a password" if kind == "password" else "session cookies"
            phrase = noun
        elif live and kind in ("stripe_secret_key", "stripe_restricted_key"):
            phrase = f"a live {noun}"
        elif not live:
            phrase = f"{_article(noun)} {noun} in test mode"
        else:
            phrase = f"{_article(noun)} {noun}"
        if not live:
            advice = "it is a test key, but still rotate it if the paste was shared, and delete the message."
        else:
            advice = _ADVICE.get(kind, "rotate it now and delete the message.")
        warnings.append(f"This paste contains {phrase} ({sample.masked}): {advice}")
    return warnings


def _label_base(group: list[Secret]) -> str:
    """A label common to several secrets of one kind: the shortest one."""
    return min((s.label for s in group), key=len)
