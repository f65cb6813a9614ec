"""allauth's forms with the product's wording: labels above fields, no placeholders repeating them."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm


def _no_placeholders(form: Any) -> None:
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class LoginForm(AllauthLoginForm):
    """Also takes the `username` field that the sign-in form had before allauth (scripts post it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = kwargs.get("data")
        if data is not None and "login" not in data and "username" in data:
            data = data.copy()
            data["login"] = data["username"]
            kwargs["data"] = data
        super().__init__(*args, **kwargs)
        _no_placeholders(self)
        self.fields["login"].label = "Username or email"
        self.fields["password"].help_text = ""  # allauth's "Forgot your password?" link: the page has one
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in"


class SignupForm(AllauthSignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _no_placeholders(self)
        # The validators' own help is a long list; this says the same in one line.
        self.fields["password1"].help_text = "At least 8 characters, not a common password, not like your username."
