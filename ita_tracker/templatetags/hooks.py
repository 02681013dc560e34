"""``{% object_actions "plan" plan %}``: the actions later apps registered for an object kind
(``ita_tracker.hooks``). ``layout="buttons"`` (default) renders a row of buttons; ``layout="menu"`` a dropdown
button labelled ``label``."""

from django import template
from django.template.loader import render_to_string

from ita_tracker.hooks import actions_for

register = template.Library()


@register.simple_tag(takes_context=True)
def object_actions(context, object_kind, obj, layout="buttons", label="", icon=""):
    request = context.get("request")
    actions = actions_for(object_kind, obj, request)
    if not actions:
        return ""
    rows = [{"action": a, "url": a.url(obj), "fields": a.fields(obj).items()} for a in actions]
    return render_to_string(
        f"ita_tracker/hooks/actions_{'menu' if layout == 'menu' else 'buttons'}.html",
        {"rows": rows, "label": label, "icon": icon},
        request=request,
    )
