from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agencies.models import ROLE_FIELDS, Agency, Department, Membership, Role
from ita_tracker import images
from ita_tracker.forms import mark_thai_choices

User = get_user_model()


class AgencySettingsForm(forms.ModelForm):
    """What an agency admin may change about their own agency. Name, type and province identify the
    agency in national data and imports, so only the installation's administrators change them."""

    class Meta:
        model = Agency
        fields = [
            "district",
            "address",
            "phone",
            "email",
            "emblem",
            "use_thai_digits",
            "plan_due_days",
            "report_due_days",
            "line_channel_token",
            "require_verified_identity",
        ]
        field_classes = {"emblem": images.CheckedImageField}
        widgets = {"line_channel_token": forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})}

    line_off = forms.BooleanField(label=_("ปิดการแจ้งเตือนทาง LINE (ลบ token)"), required=False)

    DUE_FIELDS = ("plan_due_days", "report_due_days")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty (or absent from an older form), the cycle's deadlines keep what is stored.
        for name in self.DUE_FIELDS:
            self.fields[name].required = False
        self._saved_token = self.instance.line_channel_token
        if self._saved_token:
            self.fields["line_channel_token"].help_text = _("บันทึก token ไว้แล้ว: เว้นว่างเพื่อใช้ token เดิม")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("บันทึก")))

    def clean(self):
        cleaned = super().clean()
        for name in self.DUE_FIELDS:
            if cleaned.get(name) is None:
                cleaned[name] = getattr(self.instance, name)
        return cleaned

    def clean_line_channel_token(self):
        """The token is never shown again: a blank field keeps the saved one, unless LINE is turned off."""
        token = "".join(self.cleaned_data.get("line_channel_token", "").split())
        if self.data.get(self.add_prefix("line_off")):
            return ""
        return token or self._saved_token

    def clean_emblem(self):
        """A new emblem is checked by its pixel count and stored at the size it is printed (1.5 cm at 300 dpi),
        so a small file that decodes to a huge image cannot make every memo PDF slow."""
        emblem = self.cleaned_data.get("emblem")
        if emblem and hasattr(emblem, "size") and emblem.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("ไฟล์ตราสัญลักษณ์ต้องไม่เกิน 2 MB"), code="too_large")
        if emblem and isinstance(emblem, UploadedFile):
            emblem = images.reencode_for_print(emblem)
        return emblem


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "letter_code", "phone", "email", "order"]

    def __init__(self, agency: Agency, *args, **kwargs):
        self.agency = agency
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("บันทึก")))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        duplicate = Department.objects.filter(agency=self.agency, name=name).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(_("มีส่วนราชการชื่อนี้ในหน่วยงานแล้ว"), code="duplicate")
        return name


class MembershipForm(forms.ModelForm):
    """A person's place in the agency. Roles are shown as one group of check boxes."""

    roles = forms.MultipleChoiceField(
        label=_("บทบาท"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = Membership
        fields = ["department", "position_title", "is_active"]

    def __init__(self, agency: Agency, *args, **kwargs):
        self.agency = agency
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.fields["department"].queryset = agency.departments.all()
        mark_thai_choices(self.fields["department"])
        if self.instance.pk:
            self.fields["roles"].initial = self.instance.roles
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        for role, field_name in ROLE_FIELDS.items():
            setattr(self.instance, field_name, role in cleaned.get("roles", []))
        return cleaned


class PersonForm(forms.Form):
    """The account of a person added by an agency admin."""

    username = forms.CharField(label=_("ชื่อผู้ใช้"), max_length=150)
    first_name = forms.CharField(label=_("ชื่อ (พร้อมคำนำหน้า)"), max_length=150)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=150)
    email = forms.EmailField(label=_("อีเมล"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("ชื่อผู้ใช้นี้มีผู้ใช้แล้ว"), code="duplicate")
        return username


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("ค้นหา"), required=False)
    province = forms.CharField(label=_("จังหวัด"), required=False)
    type = forms.ChoiceField(label=_("ประเภท"), required=False, choices=[("", _("ทุกประเภท")), *Agency.Type.choices])
