"""What docker-compose.yml runs, read from the file itself, so the proof and the file cannot
drift: each portal service's command and the environment the file gives it.

Values are interpolated as `docker compose` would with nothing set on the host (`${X:-default}`
gives the default). A run then replaces what must point at its own services; anything else that
points at a compose service, or that the file requires from the host (`${X:?...}`), and that the
run does not supply, stops the proof with a message naming the variable.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from proof.processes import ROOT

COMPOSE_FILE = ROOT / "docker-compose.yml"
PORTAL_SERVICES = ("migrate", "web", "worker", "beat")
REQUIRED = object()  # `${X:?...}` with X unset: the file refuses to render without it
INTERPOLATION = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$(\w+)")


class ComposeError(Exception):
    """docker-compose.yml asks for something this run cannot give."""


def interpolate(value, host: dict[str, str]):
    """`value` as compose reads it with `host` as the host's environment; REQUIRED if it needs
    a variable the host does not have."""
    if not isinstance(value, str):
        return "" if value is None else str(value).lower() if isinstance(value, bool) else value
    missing = False

    def replace(match: re.Match) -> str:
        nonlocal missing
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3) or ""
        present = host.get(name)
        unset = present is None or (present == "" and operator and operator.startswith(":"))
        if operator in (":-", "-"):
            return argument if unset else present
        if operator in (":?", "?"):
            if unset:
                missing = True
                return ""
            return present
        return present or ""

    result = INTERPOLATION.sub(replace, value)
    return REQUIRED if missing else result


def _as_dict(environment) -> dict:
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in environment)
    return dict(environment or {})


@dataclass
class ComposeFile:
    data: dict

    @classmethod
    def load(cls, path: Path = COMPOSE_FILE) -> "ComposeFile":
        with open(path, encoding="utf-8") as file:
            return cls(yaml.safe_load(file))

    @property
    def services(self) -> dict:
        return self.data["services"]

    def command(self, service: str) -> list[str]:
        command = self.services[service]["command"]
        return command.split() if isinstance(command, str) else [str(part) for part in command]

    def environment(self, service: str, host: dict[str, str] | None = None) -> dict:
        """The service's variables, interpolated with `host` (default: an empty host)."""
        environment = _as_dict(self.services[service].get("environment"))
        return {name: interpolate(value, host or {}) for name, value in environment.items()}

    def portal_environment(self) -> dict:
        """The one environment web, worker, beat and migrate share (the `x-portal` anchor);
        a service that differed would be a drift the proof cannot mirror."""
        environments = {service: self.environment(service) for service in PORTAL_SERVICES}
        first = environments[PORTAL_SERVICES[0]]
        for service, environment in environments.items():
            if environment.keys() != first.keys():
                raise ComposeError(
                    f"docker-compose.yml gives {service} other variables than "
                    f"{PORTAL_SERVICES[0]}: {sorted(environment.keys() ^ first.keys())}"
                )
        return first

    def points_at_a_service(self, value: str) -> str | None:
        """The compose service a value names as a host (`redis://redis:6379/0`, `mailpit`)."""
        for service in self.services:
            if re.search(rf"(^|[@/]){re.escape(service)}(:\d+|/|$)", value):
                return service
        return None


def run_environment(compose: ComposeFile, supplied: dict[str, str]) -> dict[str, str]:
    """Every variable the compose file gives the portal, with this run's values for those in
    `supplied`; fails with a clear message on a variable the run cannot give."""
    environment = compose.portal_environment()
    unknown = sorted(set(supplied) - set(environment))
    if unknown:
        raise ComposeError(
            f"docker-compose.yml no longer passes {', '.join(unknown)} to the portal, "
            "but the proof sets it: change proof/stack.py to match the file"
        )
    result = {}
    for name, value in environment.items():
        if name in supplied:
            result[name] = supplied[name]
        elif value is REQUIRED:
            raise ComposeError(
                f"docker-compose.yml requires {name} from the host, and the proof cannot "
                "supply it: give it a value in proof/stack.py (run_values)"
            )
        elif service := compose.points_at_a_service(value):
            raise ComposeError(
                f"docker-compose.yml gives {name}={value}, which points at its service "
                f"{service!r}; the proof cannot supply it: give it this run's value in "
                "proof/stack.py (run_values)"
            )
        else:
            result[name] = value
    return result
