"""``{% dimension_form measure %}``: the measure page's "มิติและงบประมาณ" form (``measures.dimension``),
rendered from the template so the page's view needs no change."""

from django import template

from measures.dimension import DimensionBudgetForm

register = template.Library()


@register.inclusion_tag("measures/_dimension_form.html")
def dimension_form(measure):
    return {"measure": measure, "form": DimensionBudgetForm.for_measure(measure)}
