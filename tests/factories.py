"""factory_boy factories shared by the whole suite."""

import factory
from django.contrib.auth import get_user_model

from agencies.models import Agency, Department, Membership

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"นายทดสอบ{n}")
    last_name = "ใจดี"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"เทศบาลตำบลทดสอบ{n}")
    type = Agency.Type.SUBDISTRICT_MUNICIPALITY
    province = "ปัตตานี"
    district = "ยะหริ่ง"
    code = factory.Sequence(lambda n: f"agency{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"กองทดสอบ{n}")
    letter_code = "ปน 52701.5"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    department = factory.LazyAttribute(lambda m: DepartmentFactory(agency=m.agency))
    position_title = "นักวิเคราะห์นโยบายและแผนชำนาญการ"
    is_staff_member = True
