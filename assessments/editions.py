"""Framework editions as reference data, and the national administrator who keeps them.

Editions are installed by ``migrate`` (:func:`install_missing_editions`, a ``post_migrate`` handler) rather than
by a data migration, for two reasons: the yearly files in ``fixtures/frameworks/`` stay the one source (a
release that adds ``2571.json`` installs it on the next ``migrate`` without a new migration), and
``post_migrate`` also runs after the test runner's ``flush``, so every test database, transactional or not,
has them. Editions already in the database are never touched here: ``load_frameworks`` updates them, and
keeps those edited in the application.

Who may edit editions is a Django permission, ``assessments.change_frameworkedition``, granted through the
group :data:`FRAMEWORK_ADMINS_GROUP`: it belongs to the person (a national administrator at the NACC or the
DLA), not to a membership of an agency, and superusers hold it already.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from assessments.models import FrameworkEdition

logger = logging.getLogger(__name__)

FRAMEWORK_ADMINS_GROUP = "ผู้ดูแลกรอบการประเมิน"
EDIT_PERMISSION = "assessments.change_frameworkedition"


def can_edit_frameworks(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(EDIT_PERMISSION))


def framework_admins_group() -> Group:
    """The group of national administrators, with the permission to change editions (created when missing)."""
    group, _ = Group.objects.get_or_create(name=FRAMEWORK_ADMINS_GROUP)
    content_type = ContentType.objects.get_for_model(FrameworkEdition)
    permission, _ = Permission.objects.get_or_create(
        codename="change_frameworkedition",
        content_type=content_type,
        defaults={"name": "Can change กรอบการประเมินประจำปี"},
    )
    group.permissions.add(permission)
    return group


def _fully_migrated(using: str) -> bool:
    """Loading uses today's models: after ``migrate assessments 0002`` the columns they need do not exist."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "assessments"]
    return not executor.migration_plan(targets)


def install_missing_editions(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> list[int]:
    """``post_migrate``: load every edition file whose year is not in the database yet; returns those years."""
    from assessments.frameworks import load_all  # reads settings.BASE_DIR at import

    if using != DEFAULT_DB_ALIAS or not _fully_migrated(using):
        return []
    results = load_all()
    added = [edition.fiscal_year for edition, written in results if written]
    if added:
        logger.info("Installed ITA framework editions %s", added)
    return added
