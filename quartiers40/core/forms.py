"""What a view does with a service's ValidationError: one message line, or the form's errors.

except ValidationError as error:
    messages.error(request, error_text(error))      # after a button (publish, cancel…)
    form_errors_apply(form, error)                  # on a form, to show it again as typed
"""

from django import forms
from django.core.exceptions import ValidationError


def error_text(error: ValidationError) -> str:
    """Every message of the error on one line (for a flash message or a command)."""
    return " ".join(error.messages)


def form_errors_apply(form: forms.BaseForm, error: ValidationError) -> None:
    """Each message on its field where the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
