"""A person's in-app notifications (read, mark read, all read) and their choice, per kind, of how to hear of
each one (``ita_tracker.notify.register_kind``), with their LINE user id for the LINE channel."""

from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ita_tracker.models import Delivery, LineLink, Notification, NotificationPreference
from ita_tracker.notify import kinds
from ita_tracker.thai import in_local_digits, local_digits

PAGE_SIZE = 50


def notification_list(request):
    mine = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread"):
        mine = mine.filter(read_at__isnull=True)
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ita_tracker/notification_list.html",
        {"notifications": page.object_list, "page": page, "unread_only": bool(request.GET.get("unread"))},
    )


@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to what it is about (only an address of this site)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    path = urlsplit(target).path if target else ""
    return redirect(path if path.startswith("/") else reverse("notifications:list"))


@require_POST
def notification_read(request, pk):
    """Mark one notification read without leaving the list."""
    get_object_or_404(Notification, pk=pk, recipient=request.user)
    Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:list")


@require_POST
def notification_read_all(request):
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("อ่านแล้วทั้งหมด %(count)s รายการ") % {"count": local_digits(count)})
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    """One choice per registered kind, and the LINE user id."""

    line_user_id = forms.CharField(
        label=gettext_lazy("LINE user ID"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        help_text=in_local_digits(gettext_lazy("ใช้เมื่อหน่วยงานเปิดการแจ้งเตือนทาง LINE: ขึ้นต้นด้วย U ตามด้วยอักษร ๓๒ ตัว")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
        self.kind_fields = []
        for kind in kinds():
            name = f"kind_{kind.name}"
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=chosen.get(kind.name, kind.default),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.kind_fields.append(name)
        link = LineLink.objects.filter(user=user).first()
        self.fields["line_user_id"].initial = link.line_user_id if link else ""

    def clean_line_user_id(self):
        value = self.cleaned_data["line_user_id"].strip()
        if value:
            for validator in LineLink._meta.get_field("line_user_id").validators:
                validator(value)
        return value

    def save(self, user) -> None:
        with transaction.atomic():
            for kind in kinds():
                NotificationPreference.objects.update_or_create(
                    user=user, kind=kind.name, defaults={"delivery": self.cleaned_data[f"kind_{kind.name}"]}
                )
            if self.cleaned_data["line_user_id"]:
                LineLink.objects.update_or_create(
                    user=user, defaults={"line_user_id": self.cleaned_data["line_user_id"]}
                )
            else:
                LineLink.objects.filter(user=user).delete()


def notification_preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save(request.user)
        messages.success(request, _("บันทึกการตั้งค่าการแจ้งเตือนแล้ว"))
        return redirect("notifications:preferences")
    return render(
        request,
        "ita_tracker/notification_preferences.html",
        {"form": form, "kind_fields": [form[name] for name in form.kind_fields]},
    )
