"""The deployment example of the README, as far as one machine allows: Debian's nginx with
examples/deploy/envoybot.conf (ports moved to free loopback ones, a self-signed certificate,
127.0.0.1 let through beside Telegram's networks) in front of `envoybot run` started with the
example's env files, the sandbox delivering updates over https through it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.config import load_settings
from sandbox import BotApiSandbox
from tests.pg_cluster import cluster, free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "examples" / "deploy"
TOKEN = "123456789:AAE" + "d" * 32


def env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile reads these (comments and blanks skipped)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def instance_env(n: int) -> dict[str, str]:
    return {**env_file(DEPLOY / "envoybot.env"), **env_file(DEPLOY / f"instance-{n}.env")}


def test_the_two_instances_share_everything_but_their_ports() -> None:
    one, two = (load_settings(_env_file=None, **instance_env(n)) for n in (1, 2))
    assert one.db == two.db and one.db.startswith("postgresql://")
    assert one.webhook_url == two.webhook_url and one.webhook_url.startswith("https://")
    assert one.webhook_secret_token == two.webhook_secret_token == one.webhook_secret
    assert one.webhook_listen == two.webhook_listen == "127.0.0.1"
    site = (DEPLOY / "envoybot.conf").read_text(encoding="utf-8")
    for settings in (one, two):  # nginx's upstreams are the instances' ports
        assert f"server 127.0.0.1:{settings.webhook_port} " in site
        assert f"server 127.0.0.1:{settings.web_port} " in site
    assert one.webhook_port != two.webhook_port and one.web_port != two.web_port
    assert one.instance and two.instance and one.instance != two.instance
    assert f"location = {urlsplit(one.webhook_url).path} {{" in site  # the path passes as is
    unit = (DEPLOY / "envoybot@.service").read_text(encoding="utf-8")
    assert "EnvironmentFile=/etc/envoybot/envoybot.env" in unit
    assert "EnvironmentFile=/etc/envoybot/instance-%i.env" in unit


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but nginx is not installed")
        pytest.skip("no nginx here (apt-get install nginx); CI runs this")
    return found


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"the example no longer has {old!r}"
    return text.replace(old, new)


def local_site(ports: dict[str, int], cert: Path, key: str) -> str:
    """The example site with loopback ports, the test certificate and 127.0.0.1 allowed."""
    site = (DEPLOY / "envoybot.conf").read_text(encoding="utf-8")
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    site = replace_once(site, "listen 80;", f"listen 127.0.0.1:{ports['http']};")
    site = replace_once(site, "listen 443 ssl", f"listen 127.0.0.1:{ports['https']} ssl")
    for old in ("8441", "8442", "8091", "8092"):
        site = replace_once(site, f"127.0.0.1:{old} ", f"127.0.0.1:{ports[old]} ")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    allowed = "        allow 127.0.0.1;\n        deny all;\n"
    return replace_once(site, "        deny all;\n", allowed)


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def nginx_conf(folder: Path) -> Path:
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    temps = "\n".join(
        f"  {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n  access_log {folder / 'access.log'};\n{temps}\n"
        f"  uwsgi_temp_path {folder / 'uwsgi'};\n  scgi_temp_path {folder / 'scgi'};\n"
        f"  include {folder / 'envoybot.conf'};\n}}\n",
        encoding="utf-8",
    )
    return main


@dataclass
class Proxy:
    """nginx's files for one test: the main config, the ports, the certificate."""

    nginx: str
    folder: Path
    conf: Path
    ports: dict[str, int]
    cert: Path


def prepare_nginx(folder: Path) -> Proxy:
    """The example site on free loopback ports, checked with `nginx -t`."""
    nginx = nginx_binary()
    ports = {name: free_port() for name in ("http", "https", "8441", "8442", "8091", "8092")}
    cert, key = certificate(folder)
    (folder / "envoybot.conf").write_text(local_site(ports, cert, str(key)), encoding="utf-8")
    conf = nginx_conf(folder)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(folder), "-c", str(conf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    return Proxy(nginx, folder, conf, ports, cert)


def test_the_example_site_passes_nginx_t(tmp_path: Path) -> None:
    proxy = prepare_nginx(tmp_path)
    assert "test is successful" in subprocess.run(
        [proxy.nginx, "-t", "-p", str(tmp_path), "-c", str(proxy.conf)],
        capture_output=True, text=True,
    ).stderr  # fmt: skip


async def until_listening(port: int, proc: asyncio.subprocess.Process, what: str) -> None:
    for _ in range(300):
        if proc.returncode is not None:
            raise AssertionError(f"{what} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} did not listen on {port}")


@contextlib.asynccontextmanager
async def started(
    argv: list[str], env: dict[str, str] | None, log: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            *argv, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out
        )
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
                await proc.wait()


async def test_help_is_answered_through_nginx_with_tls(tmp_path: Path) -> None:
    nginx = prepare_nginx(tmp_path)
    ports, cert, conf = nginx.ports, nginx.cert, nginx.conf
    database = cluster().new_database()  # the example runs on PostgreSQL
    public = f"https://127.0.0.1:{ports['https']}"
    example = instance_env(1)
    hook = public + urlsplit(example["ENVOYBOT_WEBHOOK_URL"]).path
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
    env.update(example)  # what envoybot@1 gets from its two EnvironmentFiles, then this machine's
    async with BotApiSandbox() as sandbox:
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": sandbox.base_url,
                "ENVOYBOT_DB": database,
                "ENVOYBOT_WEBHOOK_URL": hook,
                "ENVOYBOT_WEBHOOK_PORT": str(ports["8441"]),
                "ENVOYBOT_WEB_PORT": str(ports["8091"]),
                "ENVOYBOT_WEB_URL": public,
                "PYTHONPATH": str(ROOT),
            }
        )
        sandbox.methods.webhook.ssl = ssl.create_default_context(cafile=str(cert))
        bot_argv = [sys.executable, "-m", "bot.cli", "run"]  # the unit's ExecStart
        nginx_argv = [nginx.nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"]
        async with (
            started(nginx_argv, None, tmp_path / "nginx.out") as proxy,
            started(bot_argv, env, tmp_path / "bot.log") as bot,
        ):
            await until_listening(ports["https"], proxy, "nginx")
            await until_listening(ports["8441"], bot, "envoybot run")
            user = sandbox.user(5, "Guest", language_code="en")
            for _ in range(3):  # round robin: the second upstream (not started) is skipped
                seen = user.sent_count
                await user.send_text("/help")
                answer = await user.wait_for(timeout=30, after_count=seen)
                assert "invite link" in answer.text
            state = sandbox.methods.webhook.state
            assert sandbox.methods.webhook.info()["url"] == hook
            assert state.delivered >= 3 and state.failures == 0, sandbox.methods.webhook.info()
            assert not sandbox.calls_of("getUpdates")
            access = (tmp_path / "access.log").read_text(encoding="utf-8")
            assert access.count(f"POST {urlsplit(hook).path} ") >= 3, access
            trusted = ssl.create_default_context(cafile=str(cert))
            async with aiohttp.ClientSession() as http:
                async with http.post(hook, json={"update_id": 1}, ssl=trusted) as refused:
                    assert refused.status == 403  # no secret: the instance refuses it
                async with http.get(hook, ssl=trusted) as wrong_method:
                    assert wrong_method.status == 403  # nginx lets only POST through
                async with http.get(public + "/login", ssl=trusted) as page:
                    assert page.status == 200  # the web platform behind the same proxy
                plain = f"http://127.0.0.1:{ports['http']}/login"
                async with http.get(plain, allow_redirects=False) as moved:
                    assert moved.status == 301
                    assert moved.headers["Location"].startswith("https://")
        log = (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in log, log[-3000:]
