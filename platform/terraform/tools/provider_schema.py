"""Fetch the google provider schema into a cache once, verified; print the folder tfschema.py reads.

The schema is npm's @cdktf/provider-google package (generated JavaScript, one folder per
resource type). Its jsii build on PyPI, cdktf-cdktf-provider-google, carries that very npm
tarball inside, so pip fetches it without Node.js, pinned by the wheel's hash in
requirements/provider-schema.txt. Before anything is unpacked, the tarball is checked against
the integrity npm publishes for the package (`npm view @cdktf/provider-google@16.12.1
dist.integrity`). Only lib/*/index.js is kept (a few MB of the 309 MB package). Once the cache
holds this version it is used as is: nothing is fetched again.

Usage: provider_schema.py CACHE_DIR
"""

import base64
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

VERSION = "16.12.1"  # @cdktf/provider-google 16.12.1 = hashicorp/google 6.50.0
INTEGRITY = "sha512-KqNA/5RiFT07r0PSZ6/07cJ2zESUgbj1JchVj21iBFBZVUbD+578xA/k8eq/r0cbyEgLmg9eYWeVslaYah4DCQ=="
TARBALL = f"cdktf_cdktf_provider_google/_jsii/provider-google@{VERSION}.jsii.tgz"
REQUIREMENTS = Path(__file__).resolve().parents[3] / "requirements" / "provider-schema.txt"


class IntegrityError(Exception):
    pass


def integrity(data: bytes) -> str:
    """The Subresource Integrity string npm records for a tarball."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def npm_tarball(download_dir: Path) -> bytes:
    """pip-download the hash-pinned wheel and return the npm tarball inside it, verified."""
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
    pinned = ["--no-deps", "--only-binary=:all:", "--require-hashes", "-r", str(REQUIREMENTS)]
    subprocess.run([*pip, *pinned, "-d", str(download_dir)], check=True)
    (wheel,) = download_dir.glob("*.whl")
    return verified_tarball(wheel)


def verified_tarball(wheel: Path) -> bytes:
    """The npm tarball inside the wheel, if it is byte for byte the one npm published."""
    with zipfile.ZipFile(wheel) as archive:
        tarball = archive.read(TARBALL)
    if integrity(tarball) != INTEGRITY:
        raise IntegrityError(f"{TARBALL} is not npm's @cdktf/provider-google@{VERSION}: {integrity(tarball)}")
    return tarball


def unpack_lib(tarball: bytes, target: Path) -> None:
    """Write package/lib/<type>/index.js files under target/lib; nothing else, no link, no `..`."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive:
            parts = Path(member.name).parts
            wanted = len(parts) == 4 and parts[:2] == ("package", "lib") and parts[3] == "index.js"
            content = archive.extractfile(member) if member.isfile() and wanted and parts[2] != ".." else None
            if content is not None:
                path = target / "lib" / parts[2] / "index.js"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content.read())


def cached_lib(cache: Path) -> Path:
    """The lib folder of this version in the cache, fetched and verified on first use only."""
    folder = cache / f"provider-google-{VERSION}"
    if not folder.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as scratch:
            staged = Path(scratch) / "staged"
            unpack_lib(npm_tarball(Path(scratch)), staged)
            staged.rename(folder)  # all or nothing: a folder that exists is complete
    return folder / "lib"


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: provider_schema.py CACHE_DIR", file=sys.stderr)
        return 2
    try:
        print(cached_lib(Path(sys.argv[1])))
    except IntegrityError as error:
        print(f"provider_schema: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
