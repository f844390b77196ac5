"""Signed checkpoints of the responsibility ledger (docs/ledger.md, "Checkpoints").

A checkpoint is a C2SP signed note (https://c2sp.org/signed-note) whose text follows the C2SP
tlog-checkpoint layout (https://c2sp.org/tlog-checkpoint)::

    natije.example.kz/ledger            <- origin: the signing key's name
    5379                                <- tree size: the number of entries (the head's seq)
    3q2+7w...=                          <- base64 of the 32 bytes of the head entry's hash
    time 2026-11-27T20:15:00Z           <- extension line: when it was signed (UTC)

    — natije.example.kz/ledger <base64(key ID || Ed25519 signature of the text above)>

natije's chain is a hash chain, not an RFC 6962 Merkle tree: the third line is the hash of entry
``size`` (``GENESIS`` for an empty ledger), and "consistency" between two checkpoints is checked by
replaying the chain. Key ID = ``SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4]``; the
verifier key text is ``<name>+<key ID hex>+<base64(0x01 || public key)>`` (the Go note format).

The private key lives in a PEM file (PKCS#8, mode 0600) outside the store; the public key beside it
(``<key>.pub``, the verifier key text) and in the store (``store_meta`` key ``ledger_public_key``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Engine, select

from data_sources.atomic_files import write_atomically
from data_sources.store import StoreMeta, writing

ED25519 = b"\x01"  # the signed-note signature type of plain Ed25519
SIGNATURE_DASH = "\u2014 "  # em dash and space begin every signature line
PUBLIC_KEY_META = "ledger_public_key"
CHECKPOINT_SUFFIX = ".checkpoint"
TIME_PREFIX = "time "
#: Signatures read from one note at most (the spec asks verifiers to accept at least 16).
MAX_SIGNATURES = 16
_SIZE = re.compile(r"0|[1-9][0-9]*")


class CheckpointError(ValueError):
    """A key or checkpoint file natije cannot use (the message says why)."""


def valid_key_name(name: str) -> bool:
    """Key names are non-empty and hold no Unicode space and no ``+`` (signed-note)."""
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID: ``SHA-256(name || 0x0A || 0x01 || public key)[:4]``."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519 + public_key).digest()[:4]


@dataclass(frozen=True)
class VerifierKey:
    """A named Ed25519 public key, as ``<name>+<key ID hex>+<base64(0x01 || key)>``."""

    name: str
    public_key: bytes  # 32 bytes (RFC 8032 encoding)

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    @property
    def text(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(ED25519 + self.public_key).decode('ascii')}"

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """Read a verifier key; its key ID must match its name and key."""
        name, _, rest = text.strip().partition("+")
        hex_id, _, encoded = rest.partition("+")
        try:
            raw = base64.b64decode(encoded, validate=True)
            claimed = bytes.fromhex(hex_id)
        except (binascii.Error, ValueError) as exc:
            raise CheckpointError(f"not a verifier key (name+hex+base64): {text.strip()[:80]!r}") from exc
        if not valid_key_name(name) or len(claimed) != 4 or len(raw) != 33 or raw[:1] != ED25519:
            raise CheckpointError(f"not an Ed25519 verifier key: {text.strip()[:80]!r}")
        key = cls(name, raw[1:])
        if key.key_id != claimed:
            raise CheckpointError(f"verifier key {name}: key ID {hex_id} does not match the key")
        return key

    def verifies(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """The private key and its name: signs notes."""

    key: Ed25519PrivateKey
    name: str

    @property
    def verifier(self) -> VerifierKey:
        raw = self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return VerifierKey(self.name, raw)

    def sign(self, text: str) -> str:
        """The signed note: ``text`` (ending in a newline), a blank line, one signature line."""
        if not text.endswith("\n"):
            raise ValueError("a note's text ends with a newline")
        signature = self.verifier.key_id + self.key.sign(text.encode("utf-8"))
        return f"{text}\n{SIGNATURE_DASH}{self.name} {base64.b64encode(signature).decode('ascii')}\n"


def public_key_path(private_key: Path) -> Path:
    """Where the public key of ``private_key`` lives: beside it, with ``.pub`` added."""
    return private_key.with_name(private_key.name + ".pub")


def generate_key(private_key: Path, name: str, *, force: bool = False,
                 passphrase: bytes | None = None) -> VerifierKey:
    """Make an Ed25519 key pair: the private key as PKCS#8 PEM (encrypted when ``passphrase`` is given)
    at ``private_key`` with mode 0600, the verifier key text at ``<private_key>.pub`` (0644).
    Refuses to replace an existing private key unless ``force``."""
    if not valid_key_name(name):
        raise CheckpointError(f"key name {name!r}: must be non-empty, without spaces or '+'")
    if private_key.exists() and not force:
        raise CheckpointError(f"{private_key} exists; use --force to replace it (old checkpoints stay "
                              "verifiable through the retired key kept in the store)")
    key = Ed25519PrivateKey.generate()
    encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    verifier = Signer(key, name).verifier
    write_atomically(private_key, pem, 0o600)
    write_atomically(public_key_path(private_key), (verifier.text + "\n").encode("ascii"), 0o644)
    return verifier


def load_signer(private_key: Path, passphrase: bytes | None = None) -> Signer:
    """The signing key at ``private_key`` with its name from the ``.pub`` file beside it (which must
    hold this key's public half)."""
    try:
        pem = private_key.read_bytes()
    except OSError as exc:
        raise CheckpointError(f"cannot read the ledger key {private_key}: {exc.strerror or exc}; "
                              "run `natije ledger keygen` (as the signing account)") from exc
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase)
    except (TypeError, ValueError) as exc:
        raise CheckpointError(f"{private_key}: not a usable private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{private_key}: not an Ed25519 key")
    pub = public_key_path(private_key)
    try:
        verifier = VerifierKey.parse(pub.read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"cannot read the public key {pub}: {exc}") from exc
    signer = Signer(key, verifier.name)
    if signer.verifier != verifier:
        raise CheckpointError(f"{pub} does not hold the public key of {private_key}")
    return signer


def read_verifier_key_file(private_key: Path) -> VerifierKey | None:
    """The verifier key in ``<private_key>.pub``, or None when there is no readable file (CheckpointError
    when the file holds no verifier key)."""
    try:
        return VerifierKey.parse(public_key_path(private_key).read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError):
        return None


def publish_public_key(engine: Engine, verifier: VerifierKey, now: dt.datetime) -> None:
    """Record the verifier key in the store (``store_meta.ledger_public_key``); a replaced key moves
    to ``retired`` so checkpoints it signed stay verifiable."""
    table = StoreMeta.__table__
    with writing(engine) as conn:
        current = conn.execute(select(table.c.value).where(table.c.key == PUBLIC_KEY_META)
                               .with_for_update()).scalar_one_or_none()
        stamp = now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        value = {"verifier_key": verifier.text, "created_at": stamp, "retired": []}
        if current:
            value["retired"] = list(current.get("retired", []))
            if current.get("verifier_key") and current["verifier_key"] != verifier.text:
                value["retired"].append({"verifier_key": current["verifier_key"],
                                         "created_at": current.get("created_at"), "retired_at": stamp})
            conn.execute(table.update().where(table.c.key == PUBLIC_KEY_META).values(value=value))
        else:
            conn.execute(table.insert().values(key=PUBLIC_KEY_META, value=value))


def stored_public_keys(engine: Engine) -> dict:
    """``store_meta.ledger_public_key``: ``{"verifier_key", "created_at", "retired": [...]}`` or ``{}``."""
    with engine.connect() as conn:
        value = conn.execute(select(StoreMeta.value).where(StoreMeta.key == PUBLIC_KEY_META)).scalar_one_or_none()
    return value or {}


def public_verifier_key(engine: Engine) -> str | None:
    """The current verifier key text recorded in the store (shown on /ledger), or None."""
    return stored_public_keys(engine).get("verifier_key")


def trusted_keys(engine: Engine) -> list[VerifierKey]:
    """The store's current key and its retired keys."""
    meta = stored_public_keys(engine)
    texts = [meta.get("verifier_key")] + [r.get("verifier_key") for r in meta.get("retired", [])]
    return [VerifierKey.parse(t) for t in texts if t]


def checkpoint_text(origin: str, size: int, head_hash: str, time: dt.datetime) -> str:
    """The checkpoint's note text: origin, size, base64 head hash, ``time <UTC>`` (each line ends in \\n)."""
    stamp = time.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    head = base64.b64encode(bytes.fromhex(head_hash)).decode("ascii")
    return f"{origin}\n{size}\n{head}\n{TIME_PREFIX}{stamp}\n"


def write_checkpoint(directory: Path, signer: Signer, size: int, head_hash: str,
                     time: dt.datetime) -> Path:
    """Sign a checkpoint of the chain at ``size`` (head ``head_hash``) and write it atomically as
    ``<size>-<UTC time>.checkpoint``; the origin is the key's name."""
    note = signer.sign(checkpoint_text(signer.name, size, head_hash, time))
    stamp = time.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"{size}-{stamp}{CHECKPOINT_SUFFIX}"
    write_atomically(path, note.encode("utf-8"), 0o644)
    return path


@dataclass(frozen=True)
class ParsedCheckpoint:
    """A checkpoint file's content. ``signatures`` are (key name, key ID, signature bytes)."""

    text: str
    origin: str
    size: int
    head_hash: str  # lowercase hex
    time: dt.datetime | None
    signatures: tuple[tuple[str, bytes, bytes], ...]


def parse_checkpoint(note: str) -> ParsedCheckpoint:
    """Split a signed note into its text and signature lines and read the checkpoint lines."""
    if any(ord(ch) < 0x20 and ch != "\n" for ch in note):
        raise CheckpointError("control characters in the note")
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise CheckpointError("no blank line between the text and the signatures")
    text, signature_block = note[:cut + 1], note[cut + 2:]
    signatures = []
    for line in signature_block[:-1].split("\n"):
        if not line.startswith(SIGNATURE_DASH):
            raise CheckpointError(f"not a signature line: {line[:60]!r}")
        name, _, encoded = line[len(SIGNATURE_DASH):].partition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise CheckpointError(f"signature of {name}: not base64") from exc
        if not valid_key_name(name) or len(raw) < 5:
            raise CheckpointError(f"malformed signature line: {line[:60]!r}")
        signatures.append((name, raw[:4], raw[4:]))
    if not signatures or len(signatures) > MAX_SIGNATURES:
        raise CheckpointError(f"{len(signatures)} signature lines (1 to {MAX_SIGNATURES} expected)")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or any(not line for line in lines):
        raise CheckpointError("the text needs an origin, a size and a hash line, none empty")
    origin, size_text, head_text = lines[:3]
    if not _SIZE.fullmatch(size_text):
        raise CheckpointError(f"tree size {size_text[:30]!r} is not a decimal number")
    try:
        head = base64.b64decode(head_text, validate=True)
    except binascii.Error as exc:
        raise CheckpointError("the hash line is not base64") from exc
    if len(head) != 32:
        raise CheckpointError(f"the hash line holds {len(head)} bytes, not 32")
    time = None
    for extension in lines[3:]:
        if extension.startswith(TIME_PREFIX):
            try:
                time = dt.datetime.strptime(extension[len(TIME_PREFIX):], "%Y-%m-%dT%H:%M:%SZ").replace(
                    tzinfo=dt.timezone.utc)
            except ValueError as exc:
                raise CheckpointError(f"time line {extension[:40]!r} is not YYYY-MM-DDTHH:MM:SSZ") from exc
    return ParsedCheckpoint(text, origin, int(size_text), head.hex(), time, tuple(signatures))


def signature_status(parsed: ParsedCheckpoint, keys: Iterable[VerifierKey]) -> str:
    """``verified`` when a known key's signature verifies (and none fails); ``bad_signature`` when a
    known key's signature fails; ``unknown_key`` when no signature is by a known key (name and ID)."""
    known = {(k.name, k.key_id): k for k in keys}
    verified = False
    for name, identifier, signature in parsed.signatures:
        key = known.get((name, identifier))
        if key is None:
            continue  # unknown keys are ignored (signed-note)
        if not key.verifies(parsed.text.encode("utf-8"), signature):
            return "bad_signature"
        verified = True
    return "verified" if verified else "unknown_key"


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint file as the /ledger page shows it."""

    path: Path
    origin: str
    size: int
    head_hash: str
    time: dt.datetime | None
    verified: bool  # a trusted key's signature verifies


def checkpoint_files(directory: Path) -> list[Path]:
    """The ``*.checkpoint`` files of ``directory`` (none when it does not exist), by name."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.endswith(CHECKPOINT_SUFFIX) and p.is_file())


def read_checkpoint(path: Path) -> ParsedCheckpoint:
    try:
        return parse_checkpoint(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CheckpointError("not UTF-8") from exc


def latest_checkpoint(directory: Path, verifier_keys: Iterable[str] = ()) -> Checkpoint | None:
    """The readable checkpoint of ``directory`` with the largest size (then the latest time);
    ``verified`` says whether one of ``verifier_keys`` (texts, e.g. :func:`public_verifier_key`)
    signed it. None when the directory holds no readable checkpoint."""
    keys = [VerifierKey.parse(text) for text in verifier_keys if text]
    best: tuple[tuple, Path, ParsedCheckpoint] | None = None
    for path in checkpoint_files(directory):
        try:
            parsed = read_checkpoint(path)
        except (OSError, CheckpointError):
            continue
        order = (parsed.size, parsed.time or dt.datetime.min.replace(tzinfo=dt.timezone.utc), path.name)
        if best is None or order > best[0]:
            best = (order, path, parsed)
    if best is None:
        return None
    _, path, parsed = best
    return Checkpoint(path=path, origin=parsed.origin, size=parsed.size, head_hash=parsed.head_hash,
                      time=parsed.time, verified=signature_status(parsed, keys) == "verified")
