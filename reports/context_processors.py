"""The count of memos waiting for the person, shown in the navigation on every page (one query, and
only on pages that render it)."""

from reports.models import Memo


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache: dict[str, int] = {}

    def inbox_count() -> int:
        # Templates call callables: counted once, on first use.
        if "n" not in cache:
            cache["n"] = Memo.objects.awaiting(user).count()
        return cache["n"]

    return {"inbox_count": inbox_count}
