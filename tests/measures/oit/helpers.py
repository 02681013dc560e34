"""Constants and small helpers of the OIT tests."""

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
YEAR = 2569


def entry(checklist, code: str):
    return checklist.entries.select_related("item", "checklist__agency", "checklist__edition").get(item__code=code)
