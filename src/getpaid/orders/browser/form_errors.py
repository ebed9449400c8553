"""Form errors a screen reader can follow: a summary that names and links
every wrong field, and fields that say they are wrong and why.

z3c.form's own error rendering gives one generic "There were some errors."
and error texts no field points to. ``announce_errors(form)`` marks the
form's field errors so they render with an id (``<widget id>-error``, the
template registered for ``IDescribedError``), ties each widget to it with
``aria-invalid`` and ``aria-describedby``, and returns the summary for the
form's status message, which Plone shows in a ``role="alert"`` box.
"""

from html import escape
from pathlib import Path
from z3c.form.error import ErrorViewTemplateFactory
from z3c.form.interfaces import IErrorViewSnippet
from zope.component import getMultiAdapter
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.interface import Interface
from zope.interface import Invalid


class IDescribedError(Interface):
    """A field error another element points at (aria-describedby)."""


def all_widgets(form) -> list:
    """The widget managers of a form and of its groups (fieldsets)."""
    return [form.widgets] + [group.widgets for group in getattr(form, "groups", ())]


def flag_widget(form, name: str, message: str) -> bool:
    """Show ``message`` as the error of field ``name`` (found in any fieldset),
    as z3c.form shows a validation error; False if the form has no such field."""
    for widgets in all_widgets(form):
        widget = widgets.get(name)
        if widget is not None:
            error = getMultiAdapter(
                (Invalid(message), form.request, widget, widget.field, form, None),
                IErrorViewSnippet,
            )
            error.update()
            widget.error = error
            widgets.errors += (error,)
            return True
    return False


def announce_errors(form) -> str:
    """Mark the form's field errors; the summary's HTML (escaped)."""
    request = form.request
    items = []
    errors = [error for widgets in all_widgets(form) for error in widgets.errors]
    for error in errors:
        widget = error.widget
        if widget is None:  # a form-level error: Plone lists those itself
            continue
        alsoProvides(error, IDescribedError)
        # z3c.form caches a widget's attributes in one dict; it renders that.
        widget.attributes.update(
            {"aria-invalid": "true", "aria-describedby": f"{widget.id}-error"}
        )
        # A lone checkbox (the terms) shows its title beside the box and
        # has no label of its own: name it by its title here.
        label = translate(widget.label or widget.field.title, context=request)
        message = translate(error.message, context=request)
        items.append(
            f'<li><a href="#{escape(widget.id)}">{escape(label)}: '
            f"{escape(message)}</a></li>"
        )
    heading = escape(translate(form.formErrorsMessage, context=request))
    return f'{heading}<ul class="getpaid-error-summary">{"".join(items)}</ul>'


described_error_template = ErrorViewTemplateFactory(
    str(Path(__file__).parent / "templates" / "field_error.pt"), "text/html"
)
