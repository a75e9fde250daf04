"""platform/terraform/tools/provider_schema.py: verified before unpacked, fetched once, unpacks only lib/."""

import importlib.util
import io
import tarfile
import zipfile
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "terraform" / "tools" / "provider_schema.py"
spec = importlib.util.spec_from_file_location("provider_schema", TOOL)
provider_schema = importlib.util.module_from_spec(spec)
spec.loader.exec_module(provider_schema)


def tarball(files: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name in links:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            archive.addfile(info)
    return buffer.getvalue()


def wheel_with(path: Path, inner: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(provider_schema.TARBALL, inner)
    return path


def test_integrity_is_written_as_npm_writes_it():
    # sha512 of no bytes, as in any Subresource Integrity table
    expected = "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
    assert provider_schema.integrity(b"") == expected


def test_a_tarball_that_is_not_npms_is_refused(tmp_path):
    wheel = wheel_with(tmp_path / "fake.whl", tarball({"package/lib/x/index.js": b"evil"}))
    with pytest.raises(provider_schema.IntegrityError, match="is not npm's @cdktf/provider-google"):
        provider_schema.verified_tarball(wheel)


def test_only_each_types_index_js_is_unpacked(tmp_path):
    files = {
        "package/lib/cloud-run-v2-service/index.js": b"service",
        "package/lib/cloud-run-v2-service/index.d.ts": b"types",
        "package/lib/../index.js": b"escape",
        "package/.jsii": b"assembly",
    }
    provider_schema.unpack_lib(tarball(files, links=("package/lib/linked/index.js",)), tmp_path)
    unpacked = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file() or p.is_symlink())
    assert unpacked == ["lib/cloud-run-v2-service/index.js"]


def test_a_cached_version_is_never_fetched_again(tmp_path, monkeypatch):
    (tmp_path / f"provider-google-{provider_schema.VERSION}" / "lib").mkdir(parents=True)
    monkeypatch.setattr(provider_schema, "npm_tarball", lambda _: pytest.fail("fetched although cached"))
    assert provider_schema.cached_lib(tmp_path) == tmp_path / f"provider-google-{provider_schema.VERSION}" / "lib"


def test_a_failed_fetch_leaves_no_partial_cache(tmp_path, monkeypatch):
    def refused(_):
        raise provider_schema.IntegrityError("tampered")

    monkeypatch.setattr(provider_schema, "npm_tarball", refused)
    with pytest.raises(provider_schema.IntegrityError):
        provider_schema.cached_lib(tmp_path)
    assert list(tmp_path.iterdir()) == []
