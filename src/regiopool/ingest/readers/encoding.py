"""File identity (checksum, size) and encoding detection in one streaming pass."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size: int
    encoding: str  # detected: utf-8-sig (BOM), utf-8 (strict decode works) or cp1252


def scan_file(path: Path) -> FileFacts:
    """Checksum the bytes and detect the encoding: BOM -> utf-8-sig; else a strict UTF-8
    decode of the whole file -> utf-8; else cp1252 (the city's legacy system)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    utf8_ok = True
    size = 0
    bom = False
    with path.open("rb") as fh:
        first = True
        while chunk := fh.read(CHUNK):
            if first:
                bom = chunk.startswith(codecs.BOM_UTF8)
                first = False
            digest.update(chunk)
            size += len(chunk)
            if utf8_ok and not bom:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
        if utf8_ok and not bom:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
    encoding = "utf-8-sig" if bom else ("utf-8" if utf8_ok else "cp1252")
    return FileFacts(digest.hexdigest(), size, encoding)


def resolve_encoding(declared: str, facts: FileFacts) -> str:
    if declared == "detect":
        return facts.encoding
    if declared == "utf-8" and facts.encoding == "utf-8-sig":
        return "utf-8-sig"  # a BOM is never data
    return declared
