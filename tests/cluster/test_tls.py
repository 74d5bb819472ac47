"""TLS between scheduler, worker and client, with Dask's own security settings (docs/cluster.md).

The test makes a CA and certificates (the ``cryptography`` package), starts a scheduler
with ``--protocol tls`` and the CA, and one ``coderlhf worker --tls-*`` that joins it; the
audit client reads its certificate from Dask's configuration (DASK_DISTRIBUTED__COMM__TLS__*
in its environment, the same keys as the YAML file). A small audit goes through and its
verdicts equal a single-machine run's. Refused: the audit without the client certificate
(exit 2, nothing stored), a client whose certificate another CA signed (the scheduler asks
for a certificate of this cluster's CA: mutual TLS), and plain TCP to the TLS port.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.runners.docker_sandbox import LABEL, OWNER_LABEL
from tests.cluster.conftest import BIN, LiveCluster, engine_and_image, free_port, wait_workers
from tests.cluster.test_cluster_audit import audit_argv, outcome, stored_runs, subset
from tests.conftest import require_part

TASKS = 3
"""Python demo tasks in the audit (6 runs): enough to cross the TLS links both ways."""


def _cryptography() -> Any:
    try:
        import cryptography

        return cryptography
    except ImportError:
        return None


def make_pki(folder: Path, name: str) -> dict[str, Path]:
    """A CA and one certificate for 127.0.0.1 it signed, as PEM files (ca, cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def certificate(subject: str, key: Any, issuer: str, signer: Any, ca: bool) -> Any:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            san = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate(f"{name} CA", ca_key, f"{name} CA", ca_key, ca=True)
    leaf = certificate(f"{name} node", leaf_key, f"{name} CA", ca_key, ca=False)
    paths = {part: folder / f"{name}-{part}.pem" for part in ("ca", "cert", "key")}
    pem = serialization.Encoding.PEM
    paths["ca"].write_bytes(ca.public_bytes(pem))
    paths["cert"].write_bytes(leaf.public_bytes(pem))
    paths["key"].write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


def client_env(pki: dict[str, Path]) -> dict[str, str]:
    """Dask configuration of a TLS client, as environment variables."""
    prefix = "DASK_DISTRIBUTED__COMM__"
    return {
        prefix + "REQUIRE_ENCRYPTION": "True",
        prefix + "TLS__CA_FILE": str(pki["ca"]),
        prefix + "TLS__CLIENT__CERT": str(pki["cert"]),
        prefix + "TLS__CLIENT__KEY": str(pki["key"]),
    }


def security_of(ca: Path, pki: dict[str, Path]) -> Any:
    """A TLS client's Dask security: trusting ``ca``, with ``pki``'s certificate."""
    from distributed.security import Security

    return Security(
        tls_ca_file=str(ca),
        tls_client_cert=str(pki["cert"]),
        tls_client_key=str(pki["key"]),
        require_encryption=True,
    )


def containers_of(session: int) -> set[str]:
    """Owner labels (host:pid) of coderlhf containers made by processes of ``session``."""
    import docker

    client = docker.from_env()
    owners = set()
    for info in client.api.containers(all=True, filters={"label": f"{LABEL}=1"}):
        owner = info["Labels"].get(OWNER_LABEL, "")
        pid = owner.rpartition(":")[2]
        try:
            if pid.isdigit() and os.getsid(int(pid)) == session:
                owners.add(owner)
        except ProcessLookupError:
            continue
    return owners


def containers_of_owners(owners: set[str]) -> set[str]:
    """Which of these owners still have a coderlhf container (running or not)."""
    import docker

    client = docker.from_env()
    found = client.api.containers(all=True, filters={"label": f"{LABEL}=1"})
    return {info["Labels"].get(OWNER_LABEL, "") for info in found} & owners


@pytest.fixture
def tls_cluster(tmp_path: Path) -> Iterator[tuple[LiveCluster, dict[str, Path]]]:
    """A TLS scheduler on loopback and one ``coderlhf worker`` joined over TLS."""
    require_part("Docker engine with the toolbox image", engine_and_image(), "scripts/test")
    require_part("cryptography", _cryptography() is not None, "pip install cryptography")
    pki = make_pki(tmp_path, "cluster")
    port = free_port()
    cluster = LiveCluster(f"tls://127.0.0.1:{port}", logs=tmp_path)
    tls = ["--tls-ca-file", str(pki["ca"]), "--tls-cert", str(pki["cert"])]
    tls += ["--tls-key", str(pki["key"])]
    try:
        cluster.scheduler = cluster.start(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--protocol", "tls",
             "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", *tls],
            "scheduler.log",
        )  # fmt: skip
        cluster.workers["w1"] = cluster.start(
            [str(BIN / "coderlhf"), "worker", "--scheduler", cluster.address, "--name", "w1",
             "--nthreads", "1", *tls],
            "w1.log",
        )  # fmt: skip
        wait_workers(cluster.address, 1, security_of(pki["ca"], pki))
        yield cluster, pki
    finally:
        cluster.stop()


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.xdist_group("cluster")
def test_an_audit_runs_over_tls_and_a_client_without_the_certificate_is_refused(
    tls_cluster: tuple[LiveCluster, dict[str, Path]], tmp_path: Path
) -> None:
    from distributed import Client

    cluster, pki = tls_cluster
    tasks = subset(tmp_path, languages=("python",), limit=TASKS)
    single_db, tls_db, bare_db = (tmp_path / f"{n}.db" for n in ("single", "tls", "bare"))
    single = subprocess.run(audit_argv(tasks, single_db), capture_output=True, timeout=600)
    assert single.returncode == 0, single.stderr.decode()[-2000:]

    cluster_args = ("--cluster", cluster.address)
    env = {**os.environ, **client_env(pki)}
    done = subprocess.run(
        audit_argv(tasks, tls_db, *cluster_args), capture_output=True, timeout=600, env=env
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    figures = json.loads(done.stdout)["cluster"]
    assert figures["scheduler"] == cluster.address and figures["runs_sent"] == 2 * TASKS
    assert figures["per_worker"] and all(w.startswith("tls://") for w in figures["per_worker"])
    assert outcome(tls_db, tasks) == outcome(single_db, tasks)

    kept = containers_of(cluster.workers["w1"].pid)
    assert kept, "the worker keeps its worker container for the next chunk"
    cluster.stop_worker("w1")  # a clean close: the plugin's teardown removes them
    assert containers_of_owners(kept) == set()

    bare = subprocess.run(audit_argv(tasks, bare_db, *cluster_args), capture_output=True,
                          timeout=300)  # fmt: skip
    assert bare.returncode == 2, bare.stderr.decode()[-2000:]
    assert b"cannot reach the scheduler" in bare.stderr
    assert stored_runs(bare_db) == 0

    rogue = security_of(pki["ca"], make_pki(tmp_path, "rogue"))  # another CA signed it
    with pytest.raises((OSError, TimeoutError)):
        Client(cluster.address, security=rogue, timeout=5, set_as_default=False)
    plain = cluster.address.replace("tls://", "tcp://")
    with pytest.raises((OSError, TimeoutError)):
        Client(plain, timeout=5, set_as_default=False)
