"""``coderlhf images build|list|rootfs``: the sandbox images the test runner needs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coderlhf_tui.cli.common import EXIT_OK, UserError, add_db_option, add_json_option, print_json
from coderlhf_tui.config import ConfigError


def register(subparsers: Any) -> None:
    """Add the ``images`` command group."""
    images = subparsers.add_parser("images", help="build and list the test sandbox images")
    sub = images.add_subparsers(dest="images_command", metavar="ACTION")
    sub.required = True

    p = sub.add_parser("build", help="build the toolbox image (every language's toolchain)")
    p.add_argument(
        "--from-debian",
        action="store_true",
        help="build from Debian packages with mmdebstrap + docker import (no registry needed)",
    )
    p.add_argument("--force", action="store_true", help="rebuild even when up to date")
    p.add_argument("--tag", help="image tag (default: runner.image from the config)")
    add_db_option(p)
    p.set_defaults(handler=cmd_build)

    p = sub.add_parser("list", help="the configured images and whether they are built")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("rootfs", help="unpack an image into a directory (a bwrap_root)")
    p.add_argument("dest", type=Path, metavar="DIR")
    p.add_argument("--image", help="image to unpack (default: runner.image)")
    add_db_option(p)
    p.set_defaults(handler=cmd_rootfs)


def _settings_and_client() -> tuple[Any, Any]:
    from coderlhf_tui.runners.docker_sandbox import SandboxUnavailable, connect
    from coderlhf_tui.runners.settings import load_settings

    try:
        settings = load_settings()
        return settings, connect()
    except (ConfigError, SandboxUnavailable) as exc:
        raise UserError(str(exc)) from exc


def cmd_build(args: argparse.Namespace) -> int:
    """Build the toolbox image unless an up-to-date one exists."""
    from coderlhf_tui.runners.docker_sandbox import SandboxUnavailable
    from coderlhf_tui.runners.images import build_toolbox

    settings, client = _settings_and_client()
    tag = args.tag or settings.image

    def log(line: str) -> None:
        print(f"images: {line}", file=sys.stderr, flush=True)

    try:
        build_toolbox(client, tag, from_debian=args.from_debian, force=args.force, log=log)
    except SandboxUnavailable as exc:
        raise UserError(str(exc)) from exc
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """One line per configured image: present or missing, and up to date or not."""
    from coderlhf_tui.runners.images import image_info, packages_hash, read_packages

    settings, client = _settings_and_client()
    wanted = packages_hash(read_packages())
    tags = sorted({settings.image, *settings.images.values()})
    infos = [image_info(client, tag, wanted if tag == settings.image else None) for tag in tags]
    from coderlhf_tui.repotasks.environments import list_images as environment_images

    environments = environment_images(client)  # repository tasks' images (coderlhf repo envs)
    if args.json:
        print_json([_as_dict(info) for info in infos] + [_as_dict(e) for e in environments])
        return EXIT_OK
    for info in infos:
        if not info.present:
            print(f"{info.tag}\tmissing (run: coderlhf images build --from-debian)")
        else:
            state = "up to date" if info.current else "package list changed: rebuild"
            print(f"{info.tag}\t{info.size_mb} MB\t{info.created}\t{state}")
    for env in environments:
        print(f"{env.tag}\t{env.size_mb} MB\t{env.created}\tenvironment: {env.requirements}")
    return EXIT_OK


def _as_dict(info: Any) -> dict[str, Any]:
    return {name: getattr(info, name) for name in info.__slots__}


def cmd_rootfs(args: argparse.Namespace) -> int:
    """Unpack an image for ``runner.bwrap_root``."""
    from coderlhf_tui.runners.images import export_rootfs

    settings, client = _settings_and_client()
    image = args.image or settings.image
    export_rootfs(client, image, args.dest, log=lambda s: print(s, file=sys.stderr))
    return EXIT_OK
