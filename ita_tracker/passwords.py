"""Django's minimum-length password rule, with its number written in the digits of the page (Thai in Thai)."""

from django.contrib.auth.password_validation import MinimumLengthValidator

from ita_tracker.thai import thai_digits, use_thai_digits


def _digits(text: str) -> str:
    return thai_digits(text) if use_thai_digits() else text


class ThaiMinimumLengthValidator(MinimumLengthValidator):
    def get_help_text(self):
        return _digits(super().get_help_text())

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except Exception as exc:
            for error in getattr(exc, "error_list", [exc]):
                if getattr(error, "params", None):
                    error.params = {k: _digits(str(v)) for k, v in error.params.items()}
            raise
