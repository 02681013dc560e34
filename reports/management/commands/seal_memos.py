"""Seal every approved memo that has no sealed file yet: memos approved before sealing existed, and any whose
seal job failed (no certificate installed at the time). Safe to run again: a sealed memo is never touched."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from reports.models import Memo, SealedRecord
from reports.seal import SealError, memo_seal, new_code


class Command(BaseCommand):
    help = "ประทับตราบันทึกที่อนุมัติแล้วแต่ยังไม่มีไฟล์ที่ประทับตรา"

    def handle(self, *args, **options):
        sealed = failed = 0
        for memo in Memo.objects.filter(status=Memo.Status.APPROVED).exclude(sealed__sealed_at__isnull=False):
            record, _created = SealedRecord.objects.get_or_create(memo=memo, defaults={"code": new_code()})
            try:
                memo_seal(record.pk)
            except SealError as exc:
                failed += 1
                self.stderr.write(f"{memo.number}: {exc}")
            else:
                sealed += 1
        self.stdout.write(f"ประทับตราแล้ว {sealed} ฉบับ ไม่สำเร็จ {failed} ฉบับ")
